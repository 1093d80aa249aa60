package dev.whetstone.codec.gpu;

import java.util.Locale;

/**
 * The CUDA C of the top-k selection kernel, plain Java so that a test can compile it with nvcc
 * where there is no GPU. Each block takes {@link #CHUNK} consecutive vectors of one query (grid
 * row = query), drops those whose document the query's filter rejects, turns dot products into a
 * key that orders like the field's similarity, bitonic-sorts the chunk in shared memory and writes
 * its best {@code candidates}. The host merges the blocks' candidates: a few thousand pairs per
 * query instead of a score per vector.
 */
final class TopKKernelSource {
  static final int THREADS = 1024;
  static final int CHUNK = 4096;

  static final String NAME = "whetstone_topk";

  /** The key per similarity: dot (dot product, max inner product), dot/|v| (cosine), 2dot-|v|^2 (euclidean). */
  static final int KEY_DOT = 0;
  static final int KEY_COSINE = 1;
  static final int KEY_EUCLIDEAN = 2;

  // Locale.ROOT: in a JVM whose default locale writes other digits (fa, ar, …) the numbers in the
  // source would not be CUDA C
  static final String SOURCE = String.format(Locale.ROOT, """
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
      """, THREADS, CHUNK);

  private TopKKernelSource() {}
}
