package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The top-k selection kernel, compiled with NVRTC for the device at start-up. Each block takes
 * {@link #CHUNK} consecutive vectors of one query, drops those whose document the query's filter
 * rejects, turns dot products into a key that orders like the field's similarity, bitonic-sorts
 * the chunk in shared memory and writes its best {@code candidates}. The host merges the blocks'
 * candidates: a few thousand pairs per query instead of a score per vector.
 */
final class TopKKernel {
  static final int THREADS = 1024;
  static final int CHUNK = 4096;

  static final String NAME = "whetstone_topk";

  /** The key per similarity: dot (dot product, max inner product), dot/|v| (cosine), 2dot-|v|^2 (euclidean). */
  static final int KEY_DOT = 0;
  static final int KEY_COSINE = 1;
  static final int KEY_EUCLIDEAN = 2;

  static final String SOURCE = """
      #define THREADS %d
      #define CHUNK %d
      extern "C" __global__ void __launch_bounds__(THREADS) whetstone_topk(
          const float* __restrict__ dots,      // queries x n, query q's dot products at dots + q*n
          int n,
          int keyKind,                         // 0 dot, 1 cosine, 2 euclidean
          const float* __restrict__ norms,     // |v| (cosine) or |v|^2 (euclidean) per vector
          const int* __restrict__ ordToDoc,    // null when ordinal == document
          const unsigned long long* __restrict__ filters, // per query: a doc bitset address or 0
          int candidates,                      // written per block, <= CHUNK
          float* __restrict__ outKeys,         // queries x gridDim.x x candidates
          int* __restrict__ outOrds) {
        __shared__ float keys[CHUNK];
        __shared__ int ords[CHUNK];
        const float minusInf = __int_as_float(0xff800000);
        const int q = blockIdx.y;
        const float* qDots = dots + (size_t) q * n;
        const unsigned long long* filter = (const unsigned long long*) filters[q];
        const int base = blockIdx.x * CHUNK;
        for (int j = threadIdx.x; j < CHUNK; j += THREADS) {
          const int ord = base + j;
          float key = minusInf;
          int out = -1;
          if (ord < n) {
            const int doc = ordToDoc ? ordToDoc[ord] : ord;
            if (!filter || ((filter[doc >> 6] >> (doc & 63)) & 1ULL)) {
              const float dot = qDots[ord];
              if (keyKind == 1) {
                const float norm = norms[ord];
                key = norm > 0.0f ? dot / norm : 0.0f;
              } else if (keyKind == 2) {
                key = 2.0f * dot - norms[ord];
              } else {
                key = dot;
              }
              if (key != key) key = minusInf;  // NaN sorts last
              out = ord;
            }
          }
          keys[j] = key;
          ords[j] = out;
        }
        __syncthreads();
        for (int size = 2; size <= CHUNK; size <<= 1) {
          for (int stride = size >> 1; stride > 0; stride >>= 1) {
            for (int t = threadIdx.x; t < CHUNK / 2; t += THREADS) {
              const int i = 2 * t - (t & (stride - 1));
              const int j = i + stride;
              const bool descending = (i & size) == 0;
              const float ki = keys[i];
              const float kj = keys[j];
              if (descending ? ki < kj : ki > kj) {
                keys[i] = kj; keys[j] = ki;
                const int oi = ords[i]; ords[i] = ords[j]; ords[j] = oi;
              }
            }
            __syncthreads();
          }
        }
        const size_t outBase = ((size_t) q * gridDim.x + blockIdx.x) * candidates;
        for (int t = threadIdx.x; t < candidates; t += THREADS) {
          outKeys[outBase + t] = keys[t];
          outOrds[outBase + t] = ords[t];
        }
      }
      """.formatted(THREADS, CHUNK);

  private final CudaDriver driver;
  private final MemorySegment function;

  TopKKernel(CudaDriver driver, MemorySegment function) {
    this.driver = driver;
    this.function = function;
  }

  static int keyKind(VectorSimilarityFunction similarity) {
    switch (similarity) {
      case COSINE:
        return KEY_COSINE;
      case EUCLIDEAN:
        return KEY_EUCLIDEAN;
      case DOT_PRODUCT:
      case MAXIMUM_INNER_PRODUCT:
        return KEY_DOT;
      default:
        throw new IllegalArgumentException("unknown similarity " + similarity);
    }
  }

  static int blocks(int n) {
    return (n + CHUNK - 1) / CHUNK;
  }

  void launch(long dots, int n, int keyKind, long norms, long ordToDoc, long filters,
      int candidates, long outKeys, long outOrds, int queries, MemorySegment stream)
      throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment params = arena.allocate(ADDRESS, 9);
      params.setAtIndex(ADDRESS, 0, arena.allocateFrom(JAVA_LONG, dots));
      params.setAtIndex(ADDRESS, 1, arena.allocateFrom(JAVA_INT, n));
      params.setAtIndex(ADDRESS, 2, arena.allocateFrom(JAVA_INT, keyKind));
      params.setAtIndex(ADDRESS, 3, arena.allocateFrom(JAVA_LONG, norms));
      params.setAtIndex(ADDRESS, 4, arena.allocateFrom(JAVA_LONG, ordToDoc));
      params.setAtIndex(ADDRESS, 5, arena.allocateFrom(JAVA_LONG, filters));
      params.setAtIndex(ADDRESS, 6, arena.allocateFrom(JAVA_INT, candidates));
      params.setAtIndex(ADDRESS, 7, arena.allocateFrom(JAVA_LONG, outKeys));
      params.setAtIndex(ADDRESS, 8, arena.allocateFrom(JAVA_LONG, outOrds));
      driver.launch(function, blocks(n), queries, THREADS, params, stream);
    }
  }
}
