/**
 * Everything about searching on the GPU, and the settings and fallbacks the format reads: the
 * node's settings ({@link dev.whetstone.codec.gpu.GpuKnnSettings}, from the codec factory's
 * arguments or {@code -D} properties, with their {@code DEFAULT_}/{@code MAX_} constants), the
 * search modes ({@link dev.whetstone.codec.gpu.KnnSearchMode}), and the reasons a search left the
 * GPU for the CPU, counted and logged ({@link dev.whetstone.codec.gpu.KnnFallback}, {@link
 * dev.whetstone.codec.gpu.KnnFallbackLog}). A node ({@link dev.whetstone.codec.gpu.GpuKnn}: the
 * JVM's, or one a benchmark or test makes) with its settings and its backend, loaded once and
 * reflectively, behind the interfaces the reader sees ({@link
 * dev.whetstone.codec.gpu.GpuKnnBackend}, {@link dev.whetstone.codec.gpu.GpuVectorIndex}); one
 * segment's fields on it, uploaded on first search, with the fallbacks to the CPU ({@link
 * dev.whetstone.codec.gpu.GpuSegment}, {@code GpuFailure}, {@link
 * dev.whetstone.codec.gpu.StaysOnCpuException}); fp16 as the device holds it ({@link
 * dev.whetstone.codec.gpu.Fp16}); and the CUDA backend: segment vectors held in device memory as
 * fp16, scanned with a cuBLAS GEMM per coalesced batch ({@code QueryCoalescer}), then a top-k
 * selection kernel compiled at start-up with NVRTC returns each query's best {@code k + margin}
 * candidates for the reader to rescore exactly ({@code TopCandidates} merges them on the host,
 * {@code DocBitset} and {@code ReusedFilterSlots} carry the filters).
 *
 * <p>The package spans two source roots: the interfaces, the loader, coalescing, filter slots,
 * the kernel source and image fallback order compile for release 17 ({@code src/main/java}), while
 * the Foreign Function &amp; Memory bindings to the driver, cuBLAS and NVRTC and the backend itself
 * ({@code CudaKnnBackend}, loaded reflectively by {@link dev.whetstone.codec.gpu.GpuKnn}) are in
 * {@code src/main/java22}, compiled only on a JDK 22+ by the {@code gpu-backend} profile. {@code
 * DirectScan} (also JDK 22+) is the one entry point for the micro-bench in lucene-codec-bench.
 */
package dev.whetstone.codec.gpu;
