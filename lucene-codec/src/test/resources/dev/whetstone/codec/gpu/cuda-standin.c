/*
 * A CPU stand-in for the parts of libcuda, libcublas and libnvrtc the Whetstone backend calls, so
 * that its FFM code runs in a test without a GPU. Strict where the real libraries are lenient or
 * undefined: driver calls fail without a current context; copies must go between a device allocation and
 * page-locked host memory, inside both; work queued on a stream runs only when that stream is
 * synchronized (so a result read too early is stale, a staging buffer reused too early corrupts
 * the copy, a buffer freed with work pending is an error); an operation that reads device memory
 * another stream has a pending write to is an error; an illegal access is sticky, as on a device.
 * cuBLAS has only cublasGemmEx, and only with what the backend must pass: fp16 inputs, fp32
 * output, CUBLAS_COMPUTE_32F (the fp16 values are widened and their products summed in fp32).
 * NVRTC is nvcc run on a temporary file (the nvcc named in a file "nvcc" next to this library).
 * Files next to it switch failures on: "refuse-cubin" (cuModuleLoadData refuses cubins, as a driver
 * older than the NVRTC would), "alloc-limit" (a number: larger cuMemAlloc calls fail with
 * CUDA_ERROR_OUT_OF_MEMORY), "sticky" (every call fails with CUDA_ERROR_ILLEGAL_ADDRESS). While a
 * file "launches" is there, each GEMM and kernel launch appends its shape to it, so a test can
 * check which shapes its searches ran. It is not a GPU: nothing it does says anything about speed.
 */
#define _GNU_SOURCE
#include <dlfcn.h>
#include <libgen.h>
#include <math.h>
#include <pthread.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#define CHUNK 4096
#define THREADS 1024
#define ERR_INVALID_VALUE 1
#define ERR_INVALID_CONTEXT 201
#define ERR_INVALID_IMAGE 200
#define ERR_NOT_FOUND 500
#define ERR_ILLEGAL_ADDRESS 700

typedef uint64_t devptr;

static pthread_mutex_t lock = PTHREAD_MUTEX_INITIALIZER;
static __thread void *current;
static int primary_context;
static int sticky;
static char sticky_reason[512];

static int fail(int code, const char *reason) {
  if (code == ERR_ILLEGAL_ADDRESS && !sticky) {
    sticky = code;
    snprintf(sticky_reason, sizeof sticky_reason, "%s", reason);
  }
  fprintf(stderr, "cuda-standin: error %d: %s\n", code, reason);
  return code;
}

/* A file next to this library: the test's switches (refuse-cubin) and the nvcc to run (nvcc). */
static int sibling(const char *name, char *path, size_t size) {
  Dl_info info;
  if (!dladdr((void *) sibling, &info) || !info.dli_fname) return 0;
  char self[512];
  snprintf(self, sizeof self, "%s", info.dli_fname);
  snprintf(path, size, "%s/%s", dirname(self), name);
  return access(path, R_OK) == 0;
}

/* The number in the file next to this library named {@code name}, or -1 when there is none. */
static long long number_in(const char *name) {
  char path[600];
  long long value = -1;
  if (sibling(name, path, sizeof path)) {
    FILE *f = fopen(path, "r");
    if (f) {
      if (fscanf(f, "%lld", &value) != 1) value = 0;
      fclose(f);
    }
  }
  return value;
}

/* Appends a line to "launches" if that file is there: "gemm <columns>" or "kernel <rows> <first block>". */
static void record_launch(const char *kind, int a, int b) {
  char path[600];
  if (!sibling("launches", path, sizeof path)) return;
  FILE *f = fopen(path, "a");
  if (f) {
    fprintf(f, "%s %d %d\n", kind, a, b);
    fclose(f);
  }
}

/* ---- allocations ---- */
typedef struct alloc { char *base; size_t size; int pinned; struct alloc *next; } alloc;
static alloc *allocs;

static alloc *find(const void *p, size_t n, int pinned) {
  for (alloc *a = allocs; a; a = a->next) {
    if (a->pinned == pinned && (const char *) p >= a->base && (const char *) p + n <= a->base + a->size) {
      return a;
    }
  }
  return NULL;
}

/* ---- streams and queued work ---- */
enum { OP_COPY, OP_GEMM, OP_KERNEL };
typedef struct op {
  int kind;
  char *dst; const char *src; size_t n;                       /* copy */
  int ta, tb, m, nn, k, lda, ldb, ldc; float alpha, beta;     /* gemm */
  const uint16_t *A, *B; float *C;                            /* fp16 in, fp32 out */
  devptr dots, norms, ord_to_doc, filters, block_keys, block_ords, finished, out_keys, out_ords; /* kernel */
  int count, key_kind, candidates, gx, gy, dots_stride, first_block, total_blocks;
  struct op *next;
} op;
typedef struct stream { op *head, *tail; struct stream *next; } stream;
static stream *streams;
typedef struct { stream *s; } blas_handle;

static int overlaps(const char *a, size_t an, const char *b, size_t bn) {
  return a < b + bn && b < a + an;
}

/* The range an op writes, for the cross-stream check. */
static void written(const op *o, const char **p, size_t *n) {
  if (o->kind == OP_COPY) { *p = o->dst; *n = o->n; }
  else if (o->kind == OP_GEMM) { *p = (const char *) o->C; *n = (size_t) o->ldc * o->nn * 4; }
  else { *p = (const char *) o->out_keys; *n = (size_t) o->gy * o->candidates * 4; }
}

/* Whether another stream has a pending write to [p, p + n). */
static int pending_elsewhere(const stream *self, const void *p, size_t n) {
  for (stream *s = streams; s; s = s->next) {
    if (s == self) continue;
    for (op *o = s->head; o; o = o->next) {
      const char *w; size_t wn;
      written(o, &w, &wn);
      if (overlaps(w, wn, p, n)) return 1;
    }
  }
  return 0;
}

static int references(const alloc *a) {
  for (stream *s = streams; s; s = s->next) {
    for (op *o = s->head; o; o = o->next) {
      if (o->kind == OP_COPY && (overlaps(o->dst, o->n, a->base, a->size)
          || overlaps(o->src, o->n, a->base, a->size))) return 1;
    }
  }
  return 0;
}

/* (key, ord) pairs: best key first */
static int cmp_desc(const void *x, const void *y) {
  const float *a = x, *b = y;
  return *a < *b ? 1 : *a > *b ? -1 : 0;
}

/* The best `candidates` of pairs[0, valid) written to keys/ords worst first (the kernel promises
 * no order), padded with (-inf, -1); pairs are sorted here. */
static void write_best(float *pairs, int valid, int candidates, float *keys, int *ords) {
  qsort(pairs, valid, 2 * sizeof(float), cmp_desc);
  int taken = valid < candidates ? valid : candidates;
  for (int t = 0; t < candidates; t++) {
    float key = -INFINITY;
    int ord = -1;
    if (t < taken) {
      key = pairs[2 * (taken - 1 - t)];
      memcpy(&ord, &pairs[2 * (taken - 1 - t) + 1], 4);
    }
    keys[t] = key;
    ords[t] = ord;
  }
}

/*
 * One launch covers the blocks [first_block, first_block + gx) of each query's row (a tile; its
 * dots at dots + q * dots_stride). What its blocks' selections add up to goes into the block
 * scratch (as the tile's first block, the others padding), finished[q] counts the blocks, and the
 * launch that completes total_blocks merges the scratch into the outputs and zeroes the counter,
 * as the kernel's last block does.
 */
static int run_kernel(const stream *s, const op *o) {
  int first_ord = o->first_block * CHUNK;
  int end_ord = (o->first_block + o->gx) * CHUNK < o->count ? (o->first_block + o->gx) * CHUNK : o->count;
  size_t dots_n = ((size_t) (o->gy - 1) * o->dots_stride + (end_ord - first_ord)) * 4;
  if (!find((void *) o->dots, dots_n, 0)) return fail(ERR_ILLEGAL_ADDRESS, "kernel: dots out of bounds");
  if (pending_elsewhere(s, (void *) o->dots, dots_n)) return fail(ERR_ILLEGAL_ADDRESS, "kernel: dots pending on another stream");
  if (o->key_kind != 0 && (!find((void *) o->norms, (size_t) o->count * 4, 0)
      || pending_elsewhere(s, (void *) o->norms, (size_t) o->count * 4))) {
    return fail(ERR_ILLEGAL_ADDRESS, "kernel: norms out of bounds or pending on another stream");
  }
  if (o->ord_to_doc && (!find((void *) o->ord_to_doc, (size_t) o->count * 4, 0)
      || pending_elsewhere(s, (void *) o->ord_to_doc, (size_t) o->count * 4))) {
    return fail(ERR_ILLEGAL_ADDRESS, "kernel: ordToDoc out of bounds or pending on another stream");
  }
  if (!find((void *) o->filters, (size_t) o->gy * 8, 0)) return fail(ERR_ILLEGAL_ADDRESS, "kernel: filters out of bounds");
  size_t block_n = (size_t) o->gy * o->total_blocks * o->candidates, out_n = (size_t) o->gy * o->candidates;
  if (!find((void *) o->block_keys, block_n * 4, 0) || !find((void *) o->block_ords, block_n * 4, 0)
      || !find((void *) o->out_keys, out_n * 4, 0) || !find((void *) o->out_ords, out_n * 4, 0)) {
    return fail(ERR_ILLEGAL_ADDRESS, "kernel: block scratch or outputs out of bounds");
  }
  uint32_t *finished = (uint32_t *) o->finished;
  if (!find(finished, (size_t) o->gy * 4, 0) || pending_elsewhere(s, finished, (size_t) o->gy * 4)) {
    return fail(ERR_ILLEGAL_ADDRESS, "kernel: finished counters out of bounds or pending on another stream");
  }
  for (int q = 0; q < o->gy; q++) {
    /* the kernel's last block of a query would see the wrong count: no merge, or an early one */
    if (finished[q] != (uint32_t) o->first_block) {
      return fail(ERR_ILLEGAL_ADDRESS, "kernel: a finished counter is not the blocks of the earlier tiles");
    }
  }
  size_t most = (size_t) (end_ord - first_ord) > (size_t) o->total_blocks * o->candidates
      ? (size_t) (end_ord - first_ord) : (size_t) o->total_blocks * o->candidates;
  float *pairs = malloc(sizeof(float) * 2 * (most + 1));
  for (int q = 0; q < o->gy; q++) {
    const float *dots = (const float *) o->dots + (size_t) q * o->dots_stride;
    const uint64_t *filter = (const uint64_t *) ((const uint64_t *) o->filters)[q];
    int valid = 0;
    for (int ord = first_ord; ord < end_ord; ord++) {
      int doc = o->ord_to_doc ? ((const int *) o->ord_to_doc)[ord] : ord;
      if (filter) {
        const uint64_t *word = filter + (doc >> 6);
        if (!find(word, 8, 0) || pending_elsewhere(s, word, 8)) {
          free(pairs);
          return fail(ERR_ILLEGAL_ADDRESS, "kernel: filter word out of bounds or pending on another stream");
        }
        if (!((*word >> (doc & 63)) & 1)) continue;
      }
      float dot = dots[ord - first_ord];
      const float *norms = (const float *) o->norms;
      float key = o->key_kind == 1 ? (norms[ord] > 0 ? dot / norms[ord] : 0)
          : o->key_kind == 2 ? 2 * dot - norms[ord] : dot;
      if (key != key) key = -INFINITY;
      pairs[2 * valid] = key;
      memcpy(&pairs[2 * valid + 1], &ord, 4);
      valid++;
    }
    float *block_keys = (float *) o->block_keys + (size_t) q * o->total_blocks * o->candidates;
    int *block_ords = (int *) o->block_ords + (size_t) q * o->total_blocks * o->candidates;
    for (int b = o->first_block; b < o->first_block + o->gx; b++) {
      write_best(pairs, b == o->first_block ? valid : 0, o->candidates,
          block_keys + (size_t) b * o->candidates, block_ords + (size_t) b * o->candidates);
    }
    finished[q] += o->gx;
    if (finished[q] == (uint32_t) o->total_blocks) {
      int merged = 0;
      for (size_t i = 0; i < (size_t) o->total_blocks * o->candidates; i++) {
        if (block_ords[i] < 0) continue;
        pairs[2 * merged] = block_keys[i];
        memcpy(&pairs[2 * merged + 1], &block_ords[i], 4);
        merged++;
      }
      write_best(pairs, merged, o->candidates, (float *) o->out_keys + (size_t) q * o->candidates,
          (int *) o->out_ords + (size_t) q * o->candidates);
      finished[q] = 0;
    }
  }
  free(pairs);
  return 0;
}

/* IEEE binary16 to float, exact. */
static float half_to_float(uint16_t h) {
  int exponent = (h >> 10) & 0x1f, significand = h & 0x3ff;
  float magnitude = exponent == 0x1f ? (significand ? NAN : INFINITY)
      : exponent == 0 ? ldexpf((float) significand, -24)
      : ldexpf((float) (significand | 0x400), exponent - 25);
  return h & 0x8000 ? -magnitude : magnitude;
}

static int run_gemm(const stream *s, const op *o) {
  /* operands in elements (fp16: 2 bytes), C in fp32 */
  size_t a_n = (size_t) o->lda * (o->ta ? o->m : o->k) * 2, b_n = (size_t) o->ldb * (o->tb ? o->k : o->nn) * 2;
  if (!find(o->A, a_n, 0) || !find(o->B, b_n, 0) || !find(o->C, (size_t) o->ldc * o->nn * 4, 0)) {
    return fail(ERR_ILLEGAL_ADDRESS, "gemmEx: operand out of bounds");
  }
  if (pending_elsewhere(s, o->A, a_n) || pending_elsewhere(s, o->B, b_n)) {
    return fail(ERR_ILLEGAL_ADDRESS, "gemmEx: operand pending on another stream");
  }
  for (int j = 0; j < o->nn; j++) {
    for (int i = 0; i < o->m; i++) {
      float sum = 0; /* CUBLAS_COMPUTE_32F: fp16 products (exact in fp32) summed in fp32 */
      for (int l = 0; l < o->k; l++) {
        float a = half_to_float(o->ta ? o->A[l + (size_t) i * o->lda] : o->A[i + (size_t) l * o->lda]);
        float b = half_to_float(o->tb ? o->B[j + (size_t) l * o->ldb] : o->B[l + (size_t) j * o->ldb]);
        sum += a * b;
      }
      o->C[i + (size_t) j * o->ldc] = o->alpha * sum + (o->beta == 0 ? 0 : o->beta * o->C[i + (size_t) j * o->ldc]);
    }
  }
  return 0;
}

static int drain(stream *s) {
  int result = 0;
  while (s->head) {
    op *o = s->head;
    if (!result) {
      if (o->kind == OP_COPY) {
        if (pending_elsewhere(s, o->src, o->n)) result = fail(ERR_ILLEGAL_ADDRESS, "copy: source pending on another stream");
        else memcpy(o->dst, o->src, o->n);
      } else {
        result = o->kind == OP_GEMM ? run_gemm(s, o) : run_kernel(s, o);
      }
    }
    s->head = o->next;
    free(o);
  }
  s->tail = NULL;
  return result;
}

static int enqueue(stream *s, op *o) {
  o->next = NULL;
  if (s->tail) s->tail->next = o; else s->head = o;
  s->tail = o;
  return 0;
}

static stream *find_stream(void *handle) {
  for (stream *s = streams; s; s = s->next) if (s == handle) return s;
  return NULL;
}

#define ENTER \
  pthread_mutex_lock(&lock); \
  if (sticky) { pthread_mutex_unlock(&lock); return sticky; } \
  if (number_in("sticky") >= 0) { pthread_mutex_unlock(&lock); return ERR_ILLEGAL_ADDRESS; }
#define ENTER_CTX \
  ENTER \
  if (current != &primary_context) { pthread_mutex_unlock(&lock); return fail(ERR_INVALID_CONTEXT, "no current context on this thread"); }
#define LEAVE(r) do { int r_ = (r); pthread_mutex_unlock(&lock); return r_; } while (0)

/* ---- driver API ---- */
int cuInit(unsigned flags) { return flags == 0 ? 0 : ERR_INVALID_VALUE; }
int cuDeviceGet(int *device, int ordinal) { if (ordinal != 0) return 101; *device = 0; return 0; }
int cuDeviceGetAttribute(int *value, int attribute, int device) {
  *value = attribute == 75 ? 9 : attribute == 76 ? 0 : 0;
  return 0;
}
int cuDeviceGetName(char *name, int len, int device) {
  snprintf(name, len, "CPU stand-in for tests (no GPU; its timings mean nothing)");
  return 0;
}
int cuDevicePrimaryCtxRetain(void **ctx, int device) { *ctx = &primary_context; return 0; }
int cuCtxSetCurrent(void *ctx) { current = ctx; return 0; }
int cuMemGetInfo_v2(size_t *free_bytes, size_t *total) {
  ENTER_CTX
  *free_bytes = (size_t) 8 << 30; *total = (size_t) 16 << 30;
  LEAVE(0);
}

static int allocate(void **out, size_t size, int pinned) {
  alloc *a = malloc(sizeof *a);
  a->base = malloc(size);
  memset(a->base, 0xff, size); /* NaN floats, -1 ints: uninitialised reads show */
  a->size = size; a->pinned = pinned; a->next = allocs; allocs = a;
  *out = a->base;
  return 0;
}

static int release(void *p, int pinned) {
  for (alloc **link = &allocs; *link; link = &(*link)->next) {
    alloc *a = *link;
    if (a->base == p && a->pinned == pinned) {
      if (references(a)) return fail(ERR_INVALID_VALUE, "free: memory still used by queued work");
      *link = a->next;
      free(a->base); free(a);
      return 0;
    }
  }
  return fail(ERR_INVALID_VALUE, pinned ? "cuMemFreeHost: not page-locked memory" : "cuMemFree: not a device allocation");
}

int cuMemAlloc_v2(devptr *out, size_t size) {
  ENTER_CTX
  long long limit = number_in("alloc-limit");
  if (limit >= 0 && size > (size_t) limit) LEAVE(2); /* CUDA_ERROR_OUT_OF_MEMORY */
  void *p;
  allocate(&p, size, 0);
  *out = (devptr) p;
  LEAVE(0);
}
int cuMemFree_v2(devptr p) { ENTER_CTX LEAVE(release((void *) p, 0)); }
int cuMemAllocHost_v2(void **out, size_t size) { ENTER_CTX LEAVE(allocate(out, size, 1)); }
int cuMemFreeHost(void *p) { ENTER_CTX LEAVE(release(p, 1)); }

static int copy(void *handle, char *dst, int dst_pinned, const char *src, int src_pinned, size_t n) {
  stream *s = find_stream(handle);
  if (!s) return fail(ERR_INVALID_VALUE, "copy: not a stream of ours (the legacy default stream?)");
  if (!find(dst, n, dst_pinned) || !find(src, n, src_pinned)) {
    return fail(ERR_INVALID_VALUE, "copy: out of bounds, or the host side is not page-locked");
  }
  op *o = calloc(1, sizeof *o);
  o->kind = OP_COPY; o->dst = dst; o->src = src; o->n = n;
  return enqueue(s, o);
}

int cuMemcpyHtoDAsync_v2(devptr dst, const void *src, size_t n, void *s) {
  ENTER_CTX LEAVE(copy(s, (char *) dst, 0, src, 1, n));
}
int cuMemcpyDtoHAsync_v2(void *dst, devptr src, size_t n, void *s) {
  ENTER_CTX LEAVE(copy(s, dst, 1, (const char *) src, 0, n));
}
int cuStreamCreate(void **out, unsigned flags) {
  ENTER_CTX
  if (flags != 1) LEAVE(fail(ERR_INVALID_VALUE, "expected CU_STREAM_NON_BLOCKING"));
  stream *s = calloc(1, sizeof *s);
  s->next = streams; streams = s; *out = s;
  LEAVE(0);
}
int cuStreamSynchronize(void *handle) {
  ENTER_CTX
  stream *s = find_stream(handle);
  LEAVE(s ? drain(s) : fail(ERR_INVALID_VALUE, "synchronize: not a stream"));
}
int cuStreamDestroy_v2(void *handle) {
  ENTER_CTX
  stream *s = find_stream(handle);
  if (!s) LEAVE(fail(ERR_INVALID_VALUE, "destroy: not a stream"));
  int result = drain(s);
  for (stream **link = &streams; *link; link = &(*link)->next) {
    if (*link == s) { *link = s->next; break; }
  }
  free(s);
  LEAVE(result);
}

static int module_token;
static int function_token;
int cuModuleLoadData(void **module, const void *image) {
  ENTER_CTX
  const char *bytes = image;
  int cubin = memcmp(bytes, "\x7f" "ELF", 4) == 0;
  int ptx = !cubin && strstr(bytes, ".entry whetstone_topk") != NULL;
  if (!cubin && !ptx) LEAVE(fail(ERR_INVALID_IMAGE, "cuModuleLoadData: neither a cubin nor our PTX"));
  char switch_file[600];
  if (cubin && sibling("refuse-cubin", switch_file, sizeof switch_file)) {
    LEAVE(209); /* CUDA_ERROR_NO_BINARY_FOR_GPU, as a driver too old for this cubin */
  }
  *module = &module_token;
  LEAVE(0);
}
int cuModuleGetFunction(void **function, void *module, const char *name) {
  ENTER_CTX
  if (module != &module_token || strcmp(name, "whetstone_topk") != 0) LEAVE(ERR_NOT_FOUND);
  *function = &function_token;
  LEAVE(0);
}
int cuLaunchKernel(void *f, unsigned gx, unsigned gy, unsigned gz, unsigned bx, unsigned by,
    unsigned bz, unsigned shared, void *handle, void **params, void **extra) {
  ENTER_CTX
  stream *s = find_stream(handle);
  if (f != &function_token || !s || gz != 1 || bx != THREADS || by != 1 || bz != 1 || gy > 65535 || extra) {
    LEAVE(fail(ERR_INVALID_VALUE, "cuLaunchKernel: bad function, stream or launch shape"));
  }
  op *o = calloc(1, sizeof *o);
  o->kind = OP_KERNEL; o->gx = gx; o->gy = gy;
  o->dots = *(devptr *) params[0]; o->dots_stride = *(int *) params[1];
  o->first_block = *(int *) params[2]; o->total_blocks = *(int *) params[3];
  o->count = *(int *) params[4]; o->key_kind = *(int *) params[5];
  o->norms = *(devptr *) params[6]; o->ord_to_doc = *(devptr *) params[7];
  o->filters = *(devptr *) params[8]; o->candidates = *(int *) params[9];
  o->block_keys = *(devptr *) params[10]; o->block_ords = *(devptr *) params[11];
  o->finished = *(devptr *) params[12];
  o->out_keys = *(devptr *) params[13]; o->out_ords = *(devptr *) params[14];
  if ((size_t) o->total_blocks * CHUNK < (size_t) o->count || (size_t) (o->total_blocks - 1) * CHUNK >= (size_t) o->count
      || o->first_block < 0 || o->first_block + (int) gx > o->total_blocks
      || o->dots_stride < (int) gx * CHUNK || o->candidates < 1 || o->candidates > CHUNK) {
    free(o);
    LEAVE(fail(ERR_INVALID_VALUE, "cuLaunchKernel: tile, blocks or candidates do not fit the vectors"));
  }
  record_launch("kernel", (int) gy, o->first_block);
  LEAVE(enqueue(s, o));
}
int cuGetErrorName(int error, const char **name) {
  *name = error == ERR_ILLEGAL_ADDRESS ? "CUDA_ERROR_ILLEGAL_ADDRESS (stand-in)"
      : error == ERR_INVALID_VALUE ? "CUDA_ERROR_INVALID_VALUE (stand-in)"
      : error == ERR_INVALID_CONTEXT ? "CUDA_ERROR_INVALID_CONTEXT (stand-in)"
      : error == 2 ? "CUDA_ERROR_OUT_OF_MEMORY (stand-in)" : "CUresult (stand-in)";
  return 0;
}

/* ---- cuBLAS ---- */
int cublasCreate_v2(void **handle) { *handle = calloc(1, sizeof(blas_handle)); return 0; }
int cublasSetStream_v2(void *handle, void *s) { ((blas_handle *) handle)->s = s; return 0; }
/*
 * Only the one combination the backend is meant to use: fp16 A and B (CUDA_R_16F), fp32 C
 * (CUDA_R_32F), CUBLAS_COMPUTE_32F (alpha and beta then fp32), the default algorithm;
 * anything else is refused as cuBLAS refuses an unsupported one.
 */
int cublasGemmEx(void *handle, int ta, int tb, int m, int n, int k, const void *alpha,
    devptr A, int a_type, int lda, devptr B, int b_type, int ldb, const void *beta,
    devptr C, int c_type, int ldc, int compute_type, int algo) {
  if (a_type != 2 || b_type != 2 || c_type != 0 || compute_type != 68 || algo != -1) {
    fprintf(stderr, "cuda-standin: cublasGemmEx: types A %d B %d C %d compute %d algo %d, "
        "expected 2 2 0 68 -1\n", a_type, b_type, c_type, compute_type, algo);
    return 15; /* CUBLAS_STATUS_NOT_SUPPORTED */
  }
  if (m < 0 || n < 0 || k < 0 || lda < (ta ? k : m) || ldb < (tb ? n : k) || ldc < m) {
    fprintf(stderr, "cuda-standin: cublasGemmEx: bad sizes or leading dimensions\n");
    return 7; /* CUBLAS_STATUS_INVALID_VALUE */
  }
  pthread_mutex_lock(&lock);
  if (sticky || current != &primary_context) { pthread_mutex_unlock(&lock); return 14; } /* INTERNAL_ERROR */
  stream *s = find_stream(((blas_handle *) handle)->s);
  if (!s) { pthread_mutex_unlock(&lock); return 13; } /* EXECUTION_FAILED */
  op *o = calloc(1, sizeof *o);
  o->kind = OP_GEMM; o->ta = ta; o->tb = tb; o->m = m; o->nn = n; o->k = k;
  /* host pointer mode: read at the call */
  o->alpha = *(const float *) alpha; o->beta = *(const float *) beta;
  o->A = (const uint16_t *) A; o->lda = lda; o->B = (const uint16_t *) B; o->ldb = ldb;
  o->C = (float *) C; o->ldc = ldc;
  record_launch("gemm", n, 0);
  enqueue(s, o);
  pthread_mutex_unlock(&lock);
  return 0;
}

/* ---- NVRTC: nvcc on a temporary file ---- */
typedef struct { char *source; char *output; size_t size; int cubin; char log[8192]; } program;

int nvrtcCreateProgram(program **out, const char *src, const char *name, int headers,
    const char *const *contents, const char *const *names) {
  program *p = calloc(1, sizeof *p);
  p->source = strdup(src);
  *out = p;
  return 0;
}
int nvrtcCompileProgram(program *p, int count, const char *const *options) {
  const char *arch = NULL;
  for (int i = 0; i < count; i++) {
    if (strncmp(options[i], "--gpu-architecture=", 19) == 0) arch = options[i];
  }
  if (!arch) { snprintf(p->log, sizeof p->log, "no --gpu-architecture"); return 6; }
  p->cubin = strncmp(arch + 19, "sm_", 3) == 0;
  char dir[] = "/tmp/cuda-standin-XXXXXX";
  if (!mkdtemp(dir)) return 6;
  char path[256], out[256], command[1024];
  snprintf(path, sizeof path, "%s/kernel.cu", dir);
  snprintf(out, sizeof out, "%s/kernel.out", dir);
  FILE *f = fopen(path, "w");
  fputs(p->source, f);
  fclose(f);
  char nvcc[600] = "nvcc";
  char nvcc_file[600];
  if (sibling("nvcc", nvcc_file, sizeof nvcc_file)) {
    FILE *n = fopen(nvcc_file, "r");
    if (n) {
      if (fgets(nvcc, sizeof nvcc, n)) nvcc[strcspn(nvcc, "\n")] = 0;
      fclose(n);
    }
  }
  snprintf(command, sizeof command, "%s %s %s -o %s %s > %s/log 2>&1", nvcc,
      p->cubin ? "-cubin" : "-ptx", arch, out, path, dir);
  int status = system(command);
  snprintf(command, sizeof command, "%s/log", dir);
  f = fopen(command, "r");
  if (f) { p->log[fread(p->log, 1, sizeof p->log - 1, f)] = 0; fclose(f); }
  f = status == 0 ? fopen(out, "rb") : NULL;
  if (f) {
    fseek(f, 0, SEEK_END);
    p->size = ftell(f);
    fseek(f, 0, SEEK_SET);
    p->output = malloc(p->size + 1);
    p->size = fread(p->output, 1, p->size, f);
    p->output[p->size] = 0;
    fclose(f);
  }
  snprintf(command, sizeof command, "rm -rf %s", dir);
  if (system(command) != 0) { /* left behind in /tmp */ }
  return p->output ? 0 : 6; /* NVRTC_ERROR_COMPILATION */
}
int nvrtcGetPTXSize(program *p, size_t *size) { if (p->cubin || !p->output) return 3; *size = p->size + 1; return 0; }
int nvrtcGetPTX(program *p, char *ptx) { if (p->cubin || !p->output) return 3; memcpy(ptx, p->output, p->size + 1); return 0; }
int nvrtcGetCUBINSize(program *p, size_t *size) { if (!p->cubin || !p->output) return 3; *size = p->size; return 0; }
int nvrtcGetCUBIN(program *p, char *cubin) { if (!p->cubin || !p->output) return 3; memcpy(cubin, p->output, p->size); return 0; }
int nvrtcGetProgramLogSize(program *p, size_t *size) { *size = strlen(p->log) + 1; return 0; }
int nvrtcGetProgramLog(program *p, char *log) { strcpy(log, p->log); return 0; }
int nvrtcDestroyProgram(program **p) { free((*p)->source); free((*p)->output); free(*p); *p = NULL; return 0; }
