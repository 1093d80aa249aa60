/**
 * The CUDA backend behind {@link dev.whetstone.codec.GpuKnnBackend}: segment vectors held in
 * device memory as fp16, scanned with a cuBLAS GEMM per coalesced batch, then a top-k selection
 * kernel compiled at start-up with NVRTC returns each query's best {@code k + margin} candidates
 * for the reader to rescore exactly. The package spans two source roots: the kernel source and
 * image fallback order compile for release 17 ({@code src/main/java}), while the Foreign Function
 * &amp; Memory bindings to the driver, cuBLAS and NVRTC and the backend itself
 * ({@code CudaKnnBackend}, loaded reflectively by {@link dev.whetstone.codec.GpuKnn}) are in
 * {@code src/main/java22}, compiled only on a JDK 22+ by the {@code gpu-backend} profile.
 */
package dev.whetstone.codec.gpu;
