/**
 * The Whetstone kNN vectors format for Lucene: segments are written as stock Lucene99 HNSW files
 * ({@link dev.whetstone.codec.WhetstoneKnnVectorsFormat}), so any node reads them, and the reader
 * ({@link dev.whetstone.codec.WhetstoneKnnVectorsReader}) answers float kNN searches exactly on a
 * GPU where one is available. This package holds the release-17 side of that path: the search
 * mode and per-field settings, the GPU backend interfaces loaded reflectively by
 * {@link dev.whetstone.codec.GpuKnn}, query coalescing, host-side merging of the GPU's candidates,
 * and the CPU fallbacks (exact or HNSW) with their counted, logged reasons.
 */
package dev.whetstone.codec;
