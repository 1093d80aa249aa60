/**
 * Command-line benchmarks of the kNN format and the GPU scan: latency, throughput and recall of GPU
 * exact, CPU exact and CPU HNSW search ({@link dev.whetstone.codec.bench.KnnBench}), the bare scan
 * against uploaded vectors ({@link dev.whetstone.codec.bench.ScanBench}), and the fp16 candidate
 * margin the reader needs to rescore back to the fp32 top k
 * ({@link dev.whetstone.codec.bench.Fp16Margin}). Inputs are synthetic unit vectors or the
 * trainer's embedding cache files ({@link dev.whetstone.codec.bench.VecFile}); answers are checked
 * against {@link dev.whetstone.codec.bench.BruteForce}. Not used at search time.
 */
package dev.whetstone.codec.bench;
