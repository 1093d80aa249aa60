/**
 * Hard-negative mining: the {@code dev.whetstone.retrieval} candidate sources rank documents for
 * each training query, and {@link dev.whetstone.mine.HardNegativeMiner} removes the labeled
 * positives, applies the false-negative rules of {@code dev.whetstone.filter} and interleaves what
 * is left into {@link dev.whetstone.mine.MinedQuery}s, the negatives training draws from. It also
 * holds the negatives file format, the hidden-positives experiment that measures the
 * false-negative rules, and {@link dev.whetstone.mine.RetrievalSetup}, the one retrieval set-up
 * (encoder, dense index, query vectors, teacher, filter chain and audit log) of training, mining
 * and calibration.
 */
package dev.whetstone.mine;
