package dev.whetstone.codec.gpu;

import java.util.Locale;

/**
 * The CUDA C of the top-k selection kernel, plain Java so that a test can compile it with nvcc
 * where there is no GPU. Each block takes {@link #CHUNK} consecutive vectors of one query (grid
 * row = query), drops those whose document the query's filter rejects, turns dot products into a
 * key that orders like the field's similarity and selects its best {@code candidates} without
 * sorting: a radix select (four passes of an 8-bit histogram in shared memory) finds the
 * candidates-th best key, one more pass keeps what is above it and as many equal to it as are
 * needed. The last block of a query to finish (a per-query counter) selects again over all the
 * query's block candidates, so only queries × candidates pairs, in no particular order, go back
 * to the host. A large batch scans the vectors in tiles, one GEMM and one launch each, so that
 * its dot products need not all be in memory at once: the blocks of all tiles count as one row.
 */
final class TopKKernelSource {
  static final int THREADS = 1024;
  static final int CHUNK = 4096;

  static final String NAME = "whetstone_topk";

  /** The key per similarity: dot (dot product, max inner product), dot/|v| (cosine), 2dot-|v|^2 (euclidean). */
  static final int KEY_DOT = 0;
  static final int KEY_COSINE = 1;
  static final int KEY_EUCLIDEAN = 2;

  /** Formatted in the root locale: a default locale with other digits would break the C. */
  static final String SOURCE = String.format(Locale.ROOT, """
      #define THREADS %d
      #define CHUNK %d
      #define BINS 256
      #define ALL_LANES 0xffffffffu

      // a float key as an unsigned int that orders the same way
      __device__ __forceinline__ unsigned int ordered(float key) {
        const unsigned int bits = __float_as_uint(key);
        return (bits & 0x80000000u) ? ~bits : bits | 0x80000000u;
      }

      // phase 1 reads the block's keys in shared memory; the merge reads other blocks' candidates,
      // written during this launch, past the (incoherent) L1
      struct SharedLoad {
        static __device__ __forceinline__ float key(const float* p) { return *p; }
        static __device__ __forceinline__ int ord(const int* p) { return *p; }
      };
      struct CoherentLoad {
        static __device__ __forceinline__ float key(const float* p) { return __ldcg(p); }
        static __device__ __forceinline__ int ord(const int* p) { return __ldcg(p); }
      };

      // One count per warp and bin (lanes with the same bin agree on one atomic): the keys of a
      // block share their high bits, and per-lane atomics on one bin would serialize.
      __device__ __forceinline__ void count(unsigned int* histogram, int bin) {
        const unsigned int peers = __match_any_sync(ALL_LANES, bin);
        if (bin < BINS && (threadIdx.x & 31) == __ffs(peers) - 1) {
          atomicAdd(&histogram[bin], __popc(peers));
        }
      }

      // The block writes the `candidates` best of keys[0, length) with ords >= 0 into
      // outKeys/outOrds[0, candidates), in no particular order, padded with (-inf, -1).
      template <typename Load>
      __device__ void selectBest(const float* keys, const int* ords, int length, int candidates,
          float* outKeys, int* outOrds) {
        __shared__ unsigned int histogram[BINS];
        __shared__ unsigned int prefix;
        __shared__ int wanted;   // how many of those equal to the prefix so far are still needed
        __shared__ int valid;
        __shared__ int above;
        __shared__ int equal;
        if (threadIdx.x == 0) {
          prefix = 0; wanted = candidates; valid = 0; above = 0; equal = 0;
        }
        __syncthreads();
        int mine = 0;
        for (int i = threadIdx.x; i < length; i += THREADS) mine += Load::ord(ords + i) >= 0;
        atomicAdd(&valid, mine);
        __syncthreads();
        if (valid > candidates) {
          unsigned int mask = 0;
          for (int shift = 24; shift >= 0; shift -= 8) {
            for (int b = threadIdx.x; b < BINS; b += THREADS) histogram[b] = 0;
            __syncthreads();
            // every lane runs every round, so that the whole warp meets in count()
            for (int base = 0; base < length; base += THREADS) {
              const int i = base + threadIdx.x;
              int bin = BINS;
              if (i < length && Load::ord(ords + i) >= 0) {
                const unsigned int u = ordered(Load::key(keys + i));
                if ((u & mask) == prefix) bin = (u >> shift) & 0xff;
              }
              count(histogram, bin);
            }
            __syncthreads();
            if (threadIdx.x == 0) {
              int bin = BINS - 1;
              int need = wanted;
              while ((int) histogram[bin] < need) need -= histogram[bin--];
              wanted = need;
              prefix |= (unsigned int) bin << shift;
            }
            mask |= 0xffu << shift;
            __syncthreads();
          }
        }
        // the threshold key is prefix: all above it, and `wanted` of those equal to it
        const int strictlyAbove = valid > candidates ? candidates - wanted : 0;
        for (int i = threadIdx.x; i < length; i += THREADS) {
          const int ord = Load::ord(ords + i);
          if (ord < 0) continue;
          const float key = Load::key(keys + i);
          const unsigned int u = ordered(key);
          if (valid <= candidates || u > prefix) {
            const int at = atomicAdd(&above, 1);
            outKeys[at] = key; outOrds[at] = ord;
          } else if (u == prefix) {
            const int at = atomicAdd(&equal, 1);
            if (at < wanted) { outKeys[strictlyAbove + at] = key; outOrds[strictlyAbove + at] = ord; }
          }
        }
        const int filled = valid > candidates ? candidates : valid;
        for (int t = filled + threadIdx.x; t < candidates; t += THREADS) {
          outKeys[t] = __int_as_float(0xff800000); outOrds[t] = -1;
        }
        __syncthreads();
      }

      extern "C" __global__ void __launch_bounds__(THREADS) whetstone_topk(
          const float* __restrict__ dots,      // this tile's: query q's at dots + q*dotsStride
          int dotsStride,
          int firstBlock,                      // this tile's first block of the whole row
          int totalBlocks,                     // blocks over all n vectors, all tiles together
          int n,
          int keyKind,                         // 0 dot, 1 cosine, 2 euclidean
          const float* __restrict__ norms,     // |v| (cosine) or |v|^2 (euclidean) per vector
          const int* __restrict__ ordToDoc,    // null when ordinal == document
          const unsigned long long* __restrict__ filters, // per query: a doc bitset address or 0
          int candidates,                      // per query, <= CHUNK
          float* blockKeys,                    // scratch: queries x totalBlocks x candidates
          int* blockOrds,
          unsigned int* finished,              // per query: blocks done; 0 after the last tile
          float* __restrict__ outKeys,         // queries x candidates, in no particular order
          int* __restrict__ outOrds) {
        __shared__ float keys[CHUNK];
        __shared__ int ords[CHUNK];
        __shared__ bool last;
        const float minusInf = __int_as_float(0xff800000);
        const int q = blockIdx.y;
        const int block = firstBlock + blockIdx.x;
        const float* qDots = dots + (size_t) q * dotsStride;
        const unsigned long long* filter = (const unsigned long long*) filters[q];
        const int base = block * CHUNK;
        for (int j = threadIdx.x; j < CHUNK; j += THREADS) {
          const int ord = base + j;
          float key = minusInf;
          int out = -1;
          if (ord < n) {
            const int doc = ordToDoc ? ordToDoc[ord] : ord;
            if (!filter || ((filter[doc >> 6] >> (doc & 63)) & 1ULL)) {
              const float dot = qDots[ord - firstBlock * CHUNK];
              if (keyKind == 1) {
                const float norm = norms[ord];
                key = norm > 0.0f ? dot / norm : 0.0f;
              } else if (keyKind == 2) {
                key = 2.0f * dot - norms[ord];
              } else {
                key = dot;
              }
              if (key != key) key = minusInf;  // NaN ranks last
              out = ord;
            }
          }
          keys[j] = key;
          ords[j] = out;
        }
        __syncthreads();
        const size_t queryBase = (size_t) q * totalBlocks * candidates;
        selectBest<SharedLoad>(keys, ords, CHUNK, candidates,
            blockKeys + queryBase + (size_t) block * candidates,
            blockOrds + queryBase + (size_t) block * candidates);
        // every thread's writes above visible device-wide before the block counts as finished
        __threadfence();
        __syncthreads();
        if (threadIdx.x == 0) {
          last = atomicAdd(&finished[q], 1u) == totalBlocks - 1;
          __threadfence();
        }
        __syncthreads();
        if (!last) return;
        selectBest<CoherentLoad>(blockKeys + queryBase, blockOrds + queryBase,
            totalBlocks * candidates, candidates,
            outKeys + (size_t) q * candidates, outOrds + (size_t) q * candidates);
        if (threadIdx.x == 0) finished[q] = 0;  // ready for the next launch on this stream
      }
      """, THREADS, CHUNK);

  private TopKKernelSource() {}
}
