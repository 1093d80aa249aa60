/*
 * Runs the top-k kernel's own CUDA source (TopKKernelSource, included as KERNEL_SOURCE) on CPU
 * threads, to check what it selects: one std::thread per CUDA thread of a block, the blocks of a
 * launch one after another, __syncthreads as a barrier across the block, the warp vote through a
 * per-warp exchange. It checks the kernel's logic, not the device's memory model or its speed.
 * Prints "ok <cases>" or the first difference from a brute force, and exits non-zero on one.
 */
#include <algorithm>
#include <atomic>
#include <barrier>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstring>
#include <memory>
#include <random>
#include <thread>
#include <vector>

struct dim3 { unsigned x = 0, y = 0, z = 0; };
static thread_local dim3 threadIdx;
static dim3 blockIdx, gridDim;

#define __global__
#define __device__
#define __forceinline__ inline
#define __launch_bounds__(n)
#define __restrict__
#define __shared__ static /* one block runs at a time */

static std::unique_ptr<std::barrier<>> block_barrier;
static std::vector<std::unique_ptr<std::barrier<>>> warp_barriers;
static std::vector<int> warp_values;

static void __syncthreads() { block_barrier->arrive_and_wait(); }
static void __threadfence() { std::atomic_thread_fence(std::memory_order_seq_cst); }
static unsigned __match_any_sync(unsigned mask, int value) {
  if (mask != 0xffffffffu) { std::fprintf(stderr, "partial warp mask\n"); std::exit(3); }
  const unsigned warp = threadIdx.x >> 5;
  warp_values[threadIdx.x] = value;
  warp_barriers[warp]->arrive_and_wait();
  unsigned peers = 0;
  for (unsigned lane = 0; lane < 32; lane++) {
    if (warp_values[warp * 32 + lane] == value) peers |= 1u << lane;
  }
  warp_barriers[warp]->arrive_and_wait();
  return peers;
}
static int __ffs(unsigned x) { return __builtin_ffs((int) x); }
static int __popc(unsigned x) { return __builtin_popcount(x); }
static unsigned __float_as_uint(float f) { unsigned u; std::memcpy(&u, &f, 4); return u; }
static float __int_as_float(int i) { float f; std::memcpy(&f, &i, 4); return f; }
template <typename T> static T __ldcg(const T* p) { return *p; }
template <typename T> static T atomicAdd(T* p, T v) { return std::atomic_ref<T>(*p).fetch_add(v); }
static unsigned atomicAdd(unsigned* p, int v) { return atomicAdd(p, (unsigned) v); }

#include KERNEL_SOURCE

static void launch(unsigned gx, unsigned gy, unsigned threads, void (*body)()) {
  gridDim = {gx, gy, 1};
  warp_values.assign(threads, 0);
  warp_barriers.clear();
  for (unsigned w = 0; w < threads / 32; w++) warp_barriers.emplace_back(new std::barrier<>(32));
  for (unsigned y = 0; y < gy; y++) {
    for (unsigned x = 0; x < gx; x++) {
      blockIdx = {x, y, 1};
      block_barrier.reset(new std::barrier<>(threads));
      std::vector<std::thread> block;
      for (unsigned t = 0; t < threads; t++) {
        block.emplace_back([t, body] { threadIdx = {t, 0, 0}; body(); });
      }
      for (auto& thread : block) thread.join();
    }
  }
}

/* tileBlocks: blocks per launch (the backend's tiles), 0 for all in one */
struct Case { int n, queries, candidates, keyKind; bool filtered, mapped, ties; int tileBlocks; };

static int check(const Case& c, std::mt19937& random) {
  std::uniform_real_distribution<float> uniform(-1, 1);
  const int n = c.n, Q = c.queries, C = c.candidates, blocks = (n + CHUNK - 1) / CHUNK;
  std::vector<float> dots((size_t) Q * n), norms(n);
  std::vector<int> ordToDoc(n);
  for (auto& d : dots) d = c.ties ? std::round(uniform(random) * 4) / 4 : uniform(random);
  if (n > 3) dots[3] = NAN;
  for (int i = 0; i < n; i++) { norms[i] = 0.5f + std::fabs(uniform(random)); ordToDoc[i] = c.mapped ? 2 * i + 1 : i; }
  const int maxDoc = c.mapped ? 2 * n + 1 : n;
  std::vector<unsigned long long> words((size_t) Q * ((maxDoc + 63) / 64));
  std::vector<unsigned long long> filters(Q);
  for (int q = 0; q < Q; q++) {
    unsigned long long* w = words.data() + (size_t) q * ((maxDoc + 63) / 64);
    for (int doc = 0; doc < maxDoc; doc++) if (random() % (q == 0 ? 3 : 97) == 0) w[doc >> 6] |= 1ULL << (doc & 63);
    filters[q] = c.filtered ? (unsigned long long) (uintptr_t) w : 0;
  }
  std::vector<float> blockKeys((size_t) Q * blocks * C), outKeys((size_t) Q * C);
  std::vector<int> blockOrds(blockKeys.size()), outOrds(outKeys.size());
  std::vector<unsigned> finished(Q, 0);
  static const float* a_dots; static int a_stride, a_first, a_total, a_n, a_kind, a_c;
  static const float* a_norms; static const int* a_map;
  static const unsigned long long* a_filters; static float *a_bk, *a_ok; static int *a_bo, *a_oo; static unsigned* a_fin;
  a_n = n; a_kind = c.keyKind; a_norms = norms.data(); a_map = c.mapped ? ordToDoc.data() : nullptr;
  a_filters = filters.data(); a_c = C; a_bk = blockKeys.data(); a_bo = blockOrds.data(); a_fin = finished.data();
  a_ok = outKeys.data(); a_oo = outOrds.data();
  const int tileBlocks = c.tileBlocks > 0 ? c.tileBlocks : blocks;
  std::vector<float> tile((size_t) Q * tileBlocks * CHUNK);
  for (int first = 0; first < blocks; first += tileBlocks) {
    const int launched = std::min(tileBlocks, blocks - first);
    for (int q = 0; q < Q; q++) {
      for (int j = 0; j < launched * CHUNK && first * CHUNK + j < n; j++) {
        tile[(size_t) q * tileBlocks * CHUNK + j] = dots[(size_t) q * n + first * CHUNK + j];
      }
    }
    a_dots = tile.data(); a_stride = tileBlocks * CHUNK; a_first = first; a_total = blocks;
    launch(launched, Q, THREADS, [] {
      whetstone_topk(a_dots, a_stride, a_first, a_total, a_n, a_kind, a_norms, a_map, a_filters, a_c,
          a_bk, a_bo, a_fin, a_ok, a_oo);
    });
  }
  for (int q = 0; q < Q; q++) {
    if (finished[q] != 0) { std::printf("finished[%d] = %u after the launch\n", q, finished[q]); return 1; }
    std::vector<std::pair<float, int>> expected;
    for (int ord = 0; ord < n; ord++) {
      int doc = ordToDoc[ord];
      if (c.filtered && !((words[(size_t) q * ((maxDoc + 63) / 64) + (doc >> 6)] >> (doc & 63)) & 1)) continue;
      float dot = dots[(size_t) q * n + ord];
      float key = c.keyKind == 1 ? (norms[ord] > 0 ? dot / norms[ord] : 0) : c.keyKind == 2 ? 2 * dot - norms[ord] : dot;
      if (key != key) key = -INFINITY;
      expected.push_back({key, ord});
    }
    std::sort(expected.begin(), expected.end(), [](auto& a, auto& b) { return a.first > b.first; });
    const int taken = std::min<int>(C, expected.size());
    std::vector<float> want, got;
    for (int i = 0; i < taken; i++) want.push_back(expected[i].first);
    for (int t = 0; t < C; t++) {
      float key = outKeys[(size_t) q * C + t];
      int ord = outOrds[(size_t) q * C + t];
      if (ord < 0) { if (!(key == -INFINITY && ord == -1)) { std::printf("bad padding q=%d t=%d\n", q, t); return 1; } continue; }
      auto found = std::find_if(expected.begin(), expected.end(), [&](auto& e) { return e.second == ord; });
      if (found == expected.end() || !(found->first == key || (std::isinf(key) && std::isinf(found->first)))) {
        std::printf("q=%d: ord %d with key %g is not an accepted vector with that key\n", q, ord, key); return 1;
      }
      got.push_back(key);
    }
    std::sort(got.begin(), got.end(), std::greater<float>());
    if (got != want) {
      std::printf("n=%d C=%d kind=%d q=%d: %zu keys selected, %zu expected, or other keys\n", n, C, c.keyKind, q, got.size(), want.size());
      return 1;
    }
    std::vector<int> ords;
    for (int t = 0; t < C; t++) if (outOrds[(size_t) q * C + t] >= 0) ords.push_back(outOrds[(size_t) q * C + t]);
    std::sort(ords.begin(), ords.end());
    if (std::adjacent_find(ords.begin(), ords.end()) != ords.end()) { std::printf("q=%d: an ordinal twice\n", q); return 1; }
  }
  return 0;
}

int main() {
  std::mt19937 random(42);
  const Case cases[] = {
      {1, 1, 1, 0, false, false, false, 0},
      {100, 2, 17, 0, false, false, false, 0},
      {CHUNK, 1, 10, 1, false, false, false, 0},
      {CHUNK + 1, 2, 26, 2, true, false, false, 0},
      {3 * CHUNK + 5, 2, 116, 0, true, true, false, 0},
      {3 * CHUNK + 5, 2, 116, 0, true, true, false, 1},
      {2 * CHUNK + 7, 2, 40, 0, false, false, true, 2},
      {CHUNK + 300, 1, 1024, 1, false, false, true, 0},
      {500, 1, 1024, 0, false, false, false, 0},
  };
  int count = 0;
  for (const Case& c : cases) {
    if (check(c, random)) return 1;
    count++;
  }
  std::printf("ok %d\n", count);
  return 0;
}
