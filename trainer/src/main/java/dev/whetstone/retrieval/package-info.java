/**
 * First-stage retrieval for the trainer: the {@link dev.whetstone.retrieval.CandidateSource}s that
 * rank documents for a query text (BM25 over a Lucene index built with a configset's own schema,
 * or over a live Solr collection, and a {@link dev.whetstone.retrieval.DenseIndex} of the current
 * model's vectors), the {@link dev.whetstone.retrieval.Candidate}s they return, the
 * {@link dev.whetstone.retrieval.LabeledQuery}s (queries with their judged positives) that mining,
 * the false-negative filters and evaluation work on, the on-disk embedding cache that spares reruns
 * from re-embedding, and the {@link dev.whetstone.retrieval.RetrievalMode}s (BM25, dense, hybrid)
 * in which the demo, the benchmarks and BM25 mining query a Solr collection. Of the trainer's own
 * packages it uses only {@code data}, {@code workspace} and {@code console}; {@code filter},
 * {@code mine}, {@code eval} and {@code demo} build on it.
 */
package dev.whetstone.retrieval;
