/**
 * Command-line benchmarks of the kNN format and the GPU scan: latency, throughput and recall of GPU
 * exact, CPU exact and CPU HNSW search ({@link dev.whetstone.codec.bench.KnnBench}), the bare scan
 * against uploaded vectors ({@link dev.whetstone.codec.bench.ScanBench}), and the fp16 candidate
 * margin the reader needs to rescore back to the fp32 top k
 * ({@link dev.whetstone.codec.bench.Fp16Margin}). Inputs are synthetic unit vectors or the
 * trainer's embedding cache files ({@link dev.whetstone.codec.bench.VecFile}); answers are checked
 * against {@link dev.whetstone.codec.bench.BruteForce}; {@code GpuScanBench} (JDK 22+ builds only,
 * {@code src/main/java22}) times the CUDA backend's batches alone. Not used at search time: this
 * package is the lucene-codec-bench module, whose jar never ships with the codec or the plugin
 * (scripts/gpu-run/prepare.sh carries it to a GPU machine).
 */
package dev.whetstone.codec.bench;
