/**
 * Hard-negative mining: candidate sources (BM25 over a Lucene index built with a configset's own
 * schema, or over a live Solr collection, and a {@link dev.whetstone.mine.DenseIndex} of the
 * current model's vectors) rank documents for each training query, and
 * {@link dev.whetstone.mine.HardNegativeMiner} removes the labeled positives, applies the
 * false-negative rules and interleaves what is left into {@link dev.whetstone.mine.MinedQuery}s,
 * the negatives training draws from. It also holds the on-disk embedding cache that spares reruns
 * from re-embedding, the negatives file format, and the hidden-positives experiment that measures
 * the false-negative rules.
 */
package dev.whetstone.mine;
