package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.lang.foreign.MemorySegment;
import java.util.List;

/**
 * What one batch in flight needs: a stream, a cuBLAS handle bound to it, and device and
 * page-locked host buffers that grow to the largest segment and batch seen. Used by one thread
 * at a time (the backend pools them).
 */
final class ExecutionContext {
  private final CudaDriver driver;
  private final long scoresBytes;
  private final Cublas cublas;
  private final TopKKernel kernel;
  private final MemorySegment stream;
  private final MemorySegment cublasHandle;

  private final Buffer queries = new Buffer();
  private final Buffer scores = new Buffer();
  private final Buffer filterAddresses = new Buffer();
  private final Buffer filterWords = new Buffer();
  /** Each block's candidates, merged on the device: never copied back. */
  private final Buffer blockKeys = new Buffer();
  private final Buffer blockOrds = new Buffer();
  /** Per query, the kernel's count of finished blocks: zero between launches. */
  private final Buffer finished = new Buffer();
  private final Buffer outKeys = new Buffer();
  private final Buffer outOrds = new Buffer();

  ExecutionContext(CudaDriver driver, long scoresBytes, Cublas cublas, TopKKernel kernel)
      throws CudaException {
    this.driver = driver;
    this.scoresBytes = scoresBytes;
    this.cublas = cublas;
    this.kernel = kernel;
    this.stream = driver.createStream();
    this.cublasHandle = cublas.createHandle(stream);
  }

  /**
   * Searches {@code batch}, all against {@code index}, and stores each query's candidates; in
   * passes of as many queries as {@link #queriesPerPass} allows, so a large batch with a large k
   * does not take gigabytes of block candidates or page-locked filter staging.
   */
  void search(DeviceVectorIndex index, List<DeviceVectorIndex.Query> batch,
      ReusedFilterSlots.Batch slots) throws CudaException {
    int perPass = queriesPerPass(index, batch, scoresBytes);
    for (int from = 0; from < batch.size(); from += perPass) {
      searchPass(index, batch.subList(from, Math.min(batch.size(), from + perPass)), slots);
    }
  }

  /**
   * Queries whose per-query memory (block candidates, filter words, results, the query itself)
   * fits {@code budgetBytes}, at least one. Separate from the dot products' tiles, which are
   * bounded by the same figure.
   */
  static int queriesPerPass(DeviceVectorIndex index, List<DeviceVectorIndex.Query> batch,
      long budgetBytes) {
    int candidates = candidates(batch);
    boolean anyFilter = batch.stream().anyMatch(query -> query.acceptDocs != null);
    long perQuery = (long) TopKKernel.blocks(index.size()) * candidates * (Float.BYTES + Integer.BYTES)
        + (anyFilter ? (long) index.filterWordCount() * Long.BYTES : 0)
        + (long) candidates * (Float.BYTES + Integer.BYTES)
        + (long) index.dimension() * Short.BYTES + Long.BYTES + Integer.BYTES;
    return (int) Math.max(1, Math.min(batch.size(), budgetBytes / perQuery));
  }

  /** Candidates each query of the batch gets back: the largest count asked, up to a block's. */
  private static int candidates(List<DeviceVectorIndex.Query> batch) {
    int candidates = 0;
    for (DeviceVectorIndex.Query query : batch) {
      candidates = Math.max(candidates, Math.min(query.count, TopKKernelSource.CHUNK));
    }
    return candidates;
  }

  /**
   * One pass. Every copy to the device is queued on this context's stream, from page-locked
   * memory, ahead of the GEMM and the kernel on the same stream; the stream is synchronized before
   * the results are read and before any host buffer is written again.
   */
  private void searchPass(DeviceVectorIndex index, List<DeviceVectorIndex.Query> batch,
      ReusedFilterSlots.Batch slots) throws CudaException {
    int queryCount = batch.size();
    int n = index.size();
    int dim = index.dimension();
    int blocks = TopKKernel.blocks(n);
    int candidates = candidates(batch);
    boolean anyFilter = batch.stream().anyMatch(query -> query.acceptDocs != null);
    int words = index.filterWordCount();
    long filterBytes = (long) words * Long.BYTES;
    long blockCount = (long) queryCount * blocks * candidates;
    long outCount = (long) queryCount * candidates;

    long queryBytes = (long) queryCount * dim * Short.BYTES;
    queries.ensure(queryBytes, true);
    int tile = tileVectors(queryCount, n);
    scores.ensure((long) queryCount * tile * Float.BYTES, false);
    filterAddresses.ensure((long) queryCount * Long.BYTES, true);
    blockKeys.ensure(blockCount * Float.BYTES, false);
    blockOrds.ensure(blockCount * Integer.BYTES, false);
    if (finished.ensure((long) queryCount * Integer.BYTES, true)) {
      // the kernel leaves the counters as it found them: zero them once per allocation
      finished.host.fill((byte) 0);
      finished.toDevice(finished.capacity);
    }
    outKeys.ensure(outCount * Float.BYTES, true);
    outOrds.ensure(outCount * Integer.BYTES, true);
    if (anyFilter) {
      filterWords.ensure(queryCount * filterBytes, true);
    }

    boolean anyPerQueryFilter = false;
    short[] halves = new short[dim];
    for (int q = 0; q < queryCount; q++) {
      DeviceVectorIndex.Query query = batch.get(q);
      // fp16 like the vectors (GemmEx takes one input type); DeviceVectorIndex checked the range
      for (int d = 0; d < dim; d++) {
        halves[d] = Float.floatToFloat16(query.target[d]);
      }
      MemorySegment.copy(halves, 0, queries.host, JAVA_SHORT, (long) q * dim * Short.BYTES, dim);
      long filter = 0;
      if (query.acceptDocs != null) {
        long offset = q * filterBytes;
        ReusedFilterSlots.Slot slot = query.filterWords == null
            ? index.filterSlots().slotFor(slots, query.acceptDocs) : null;
        if (slot != null) {
          filter = index.filterSlotAddress(slot.index());
          if (slot.fill()) {
            // staged in this query's part of the per-query buffer, which it does not use
            stage(DocBitset.words(query.acceptDocs), offset, words);
            driver.copyToDeviceAsync(filter, filterWords.host.asSlice(offset), filterBytes, stream);
          }
        } else {
          stage(query.filterWords != null ? query.filterWords : DocBitset.words(query.acceptDocs),
              offset, words);
          filter = filterWords.device + offset;
          anyPerQueryFilter = true;
        }
      }
      filterAddresses.host.setAtIndex(JAVA_LONG, q, filter);
    }

    queries.toDevice(queryBytes);
    if (anyPerQueryFilter) {
      filterWords.toDevice(queryCount * filterBytes);
    }
    filterAddresses.toDevice((long) queryCount * Long.BYTES);
    // one GEMM and one launch per tile, in stream order: the next GEMM overwrites the scores only
    // after the kernel has read them
    for (int start = 0; start < n; start += tile) {
      int length = Math.min(tile, n - start);
      cublas.dotProducts(cublasHandle, index.vectors() + (long) start * dim * Short.BYTES, length,
          queries.device, queryCount, dim, scores.device, tile);
      kernel.launch(scores.device, tile, start / TopKKernelSource.CHUNK, TopKKernel.blocks(length),
          n, index.keyKind(), index.norms(), index.ordToDoc(), filterAddresses.device, candidates,
          blockKeys.device, blockOrds.device, finished.device, outKeys.device, outOrds.device,
          queryCount, stream);
    }
    driver.copyToHostAsync(outKeys.host, outKeys.device, outCount * Float.BYTES, stream);
    driver.copyToHostAsync(outOrds.host, outOrds.device, outCount * Integer.BYTES, stream);
    driver.synchronize(stream);

    // each query's candidates come unordered: only they are sorted here
    float[] keys = new float[candidates];
    int[] ords = new int[candidates];
    for (int q = 0; q < queryCount; q++) {
      long offset = (long) q * candidates;
      MemorySegment.copy(outKeys.host, JAVA_FLOAT, offset * Float.BYTES, keys, 0, candidates);
      MemorySegment.copy(outOrds.host, JAVA_INT, offset * Integer.BYTES, ords, 0, candidates);
      DeviceVectorIndex.Query query = batch.get(q);
      query.result = TopCandidates.best(keys, ords, candidates, query.count);
    }
  }

  /** Vectors per tile: whole kernel blocks whose dot products fit {@code scoresBytes}, at least one. */
  private int tileVectors(int queryCount, int n) {
    long fit = scoresBytes / ((long) queryCount * Float.BYTES) / TopKKernelSource.CHUNK;
    long blocks = Math.max(1, Math.min(fit, TopKKernel.blocks(n)));
    return (int) (blocks * TopKKernelSource.CHUNK);
  }

  private void stage(long[] bits, long offset, int words) {
    MemorySegment.copy(bits, 0, filterWords.host, JAVA_LONG, offset, Math.min(words, bits.length));
  }

  /** A device buffer, optionally mirrored by a page-locked host buffer of the same size. */
  private final class Buffer {
    long device;
    MemorySegment host;
    long capacity;

    /** True when it had to grow: the new memory holds anything. */
    boolean ensure(long bytes, boolean withHost) throws CudaException {
      if (bytes <= capacity) {
        return false;
      }
      long grown = Math.max(bytes, capacity + capacity / 2);
      driver.free(device);
      device = 0;
      driver.freeHost(host);
      host = null;
      capacity = 0;
      device = driver.malloc(grown);
      if (withHost) {
        host = driver.mallocHost(grown);
      }
      capacity = grown;
      return true;
    }

    void toDevice(long bytes) throws CudaException {
      driver.copyToDeviceAsync(device, host, bytes, stream);
    }
  }
}
