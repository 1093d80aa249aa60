package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The cuBLAS calls the backend makes ({@code libcublas.so}, CUDA 11+): handles and GemmEx with
 * fp16 inputs, fp32 accumulation and fp32 output.
 */
final class Cublas {
  private static final int OP_N = 0;
  private static final int OP_T = 1;
  private static final int STATUS_ALLOC_FAILED = 3;
  /** cudaDataType_t. */
  private static final int CUDA_R_32F = 0;
  private static final int CUDA_R_16F = 2;
  /** cublasComputeType_t: fp32 accumulation, whatever the inputs; tensor cores for fp16 ones. */
  private static final int CUBLAS_COMPUTE_32F = 68;
  private static final int CUBLAS_GEMM_DEFAULT = -1;

  private final MethodHandle create;
  private final MethodHandle setStream;
  private final MethodHandle gemmEx;
  /** alpha = 1, beta = 0, read by cuBLAS from host memory (the default pointer mode). */
  private final MemorySegment one;
  private final MemorySegment zero;

  Cublas(SymbolLookup lib) throws CudaException {
    create = NativeLibraries.function(lib, "cublasCreate_v2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
    setStream = NativeLibraries.function(lib, "cublasSetStream_v2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    gemmEx = NativeLibraries.function(lib, "cublasGemmEx",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_INT, JAVA_INT, ADDRESS,
            JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT));
    one = Arena.global().allocateFrom(JAVA_FLOAT, 1f);
    zero = Arena.global().allocateFrom(JAVA_FLOAT, 0f);
  }

  /** A handle bound to {@code stream}; one per execution context, used by one thread at a time. */
  MemorySegment createHandle(MemorySegment stream) throws CudaException {
    MemorySegment handle;
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cublasCreate", CudaDriver.call(() -> (int) create.invokeExact(out)));
      handle = out.get(ADDRESS, 0);
    }
    check("cublasSetStream", CudaDriver.call(() -> (int) setStream.invokeExact(handle, stream)));
    return handle;
  }

  /**
   * Dot products of {@code queryCount} queries with {@code vectorCount} vectors, both fp16 and
   * row-major with {@code dim} halves per row, summed in fp32: {@code scores[q * scoresStride +
   * v]} (fp32). In cuBLAS's column-major terms the vectors are a dim x vectorCount matrix V and the
   * queries a dim x queryCount matrix Q, and scores = V^T Q, vectorCount x queryCount.
   */
  void dotProducts(MemorySegment handle, long vectors, int vectorCount, long queries,
      int queryCount, int dim, long scores, int scoresStride) throws CudaException {
    check("cublasGemmEx", CudaDriver.call(() -> (int) gemmEx.invokeExact(handle, OP_T, OP_N,
        vectorCount, queryCount, dim, one, vectors, CUDA_R_16F, dim, queries, CUDA_R_16F, dim,
        zero, scores, CUDA_R_32F, scoresStride, CUBLAS_COMPUTE_32F, CUBLAS_GEMM_DEFAULT)));
  }

  private static void check(String what, int status) throws CudaException {
    if (status != 0) {
      throw new CudaException(what + " failed: cublasStatus_t " + status,
          status == STATUS_ALLOC_FAILED);
    }
  }
}
