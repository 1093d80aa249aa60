package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_SHORT;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * One segment field's vectors in device memory (fp16, row-major: half the bytes to scan), with
 * per-vector norms (fp32, from the exact vectors) where the similarity needs them and the
 * ordinal-to-document map where documents lack vectors. Concurrent searches are coalesced into
 * batches, one GEMM each; the reader rescores the candidates exactly, so fp16 only decides which
 * {@code k + margin} come back.
 */
final class DeviceVectorIndex implements GpuVectorIndex {
  private static final System.Logger LOG = System.getLogger(DeviceVectorIndex.class.getName());
  /** Vectors staged per host-to-device copy while uploading (two such page-locked buffers). */
  private static final long UPLOAD_CHUNK_BYTES = 32L << 20;

  private final CudaKnnBackend backend;
  private final int size;
  private final int dimension;
  private final int keyKind;
  private final int maxDoc;
  private final long reservedBytes;
  private final QueryCoalescer<Query> coalescer;
  private final ReadWriteLock closeLock = new ReentrantReadWriteLock();
  private long vectors;
  private long norms;
  private long ordToDoc;
  private boolean closed;

  /** Which of the reused-filter buffers holds which live docs; see {@link #filterSlots()}. */
  private final ReusedFilterSlots filterSlots =
      new ReusedFilterSlots(ReusedFilterSlots.DEFAULT_SLOTS);
  /** The slots' device buffers, one allocation, {@link #filterWordCount} words each; 0 until used. */
  private long filterSlotWords;

  /** A search waiting in, or running as part of, a batch. */
  static final class Query {
    final float[] target;
    final int count;
    final Bits acceptDocs;
    /**
     * A per-query filter (a {@link BitSet} built for this query) as words, prepared by the
     * caller's thread; null for no filter or a reused one such as the live docs.
     */
    final long[] filterWords;
    int[] result;

    Query(float[] target, int count, Bits acceptDocs, long[] filterWords) {
      this.target = target;
      this.count = count;
      this.acceptDocs = acceptDocs;
      this.filterWords = filterWords;
    }
  }

  private DeviceVectorIndex(CudaKnnBackend backend, int size, int dimension, int keyKind,
      int maxDoc, long reservedBytes) {
    this.backend = backend;
    this.size = size;
    this.dimension = dimension;
    this.keyKind = keyKind;
    this.maxDoc = maxDoc;
    this.reservedBytes = reservedBytes;
    this.coalescer = new QueryCoalescer<>(this::execute,
        backend.settings().maxBatch(),
        CudaKnnBackend.CONTEXTS,
        backend.settings().batchWindowNanos());
  }

  /** Bytes of device memory the vectors of {@code values} take here. */
  static long bytesFor(int size, int dimension) {
    // fp16 vectors, norms, ordinal-to-document map
    return (long) size * dimension * Short.BYTES + (long) size * (Float.BYTES + Integer.BYTES);
  }

  /**
   * Copies {@code values} to the device as fp16, converted into page-locked staging. Every copy
   * is queued on a stream of this upload's own, and the stream is synchronized before the index is
   * returned: the vectors are complete on the device before any search stream (non-blocking, so
   * ordered after neither this stream nor the legacy default one) can see the index.
   *
   * @throws StaysOnCpuException when a component is beyond fp16's range: the field stays on the CPU
   */
  static DeviceVectorIndex upload(CudaKnnBackend backend, FloatVectorValues values,
      VectorSimilarityFunction similarity, long reservedBytes)
      throws IOException, StaysOnCpuException {
    CudaDriver driver = backend.driver();
    int size = values.size();
    int dim = values.dimension();
    long rowBytes = (long) dim * Short.BYTES;
    int keyKind = TopKKernel.keyKind(similarity);
    int perChunk = (int) Math.max(1, Math.min(size, UPLOAD_CHUNK_BYTES / rowBytes));
    MemorySegment stream = driver.createStream();
    MemorySegment[] stages = new MemorySegment[2];
    MemorySegment normsAndDocs = null;
    long vectorsOnDevice = 0;
    long normsOnDevice = 0;
    long docsOnDevice = 0;
    boolean done = false;
    try {
      vectorsOnDevice = driver.malloc((long) size * rowBytes);
      stages[0] = driver.mallocHost(perChunk * rowBytes);
      stages[1] = driver.mallocHost(perChunk * rowBytes);
      // norms at 0, documents after them
      normsAndDocs = driver.mallocHost((long) size * (Float.BYTES + Integer.BYTES));
      long docsOffset = (long) size * Float.BYTES;
      boolean ordIsDoc = true;
      short[] halves = new short[dim];
      int ord = 0;
      int chunks = 0;
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        if (ord == size) {
          throw new IOException("vector values reported " + size + " vectors but iterated more");
        }
        // fills one stage while the other one's copy runs
        MemorySegment stage = stages[chunks & 1];
        float[] vector = values.vectorValue();
        if (!Fp16.inRange(vector)) {
          throw new StaysOnCpuException(KnnFallback.VECTORS_BEYOND_FP16, "vector " + ord
              + " (document " + doc + ") has a component beyond fp16's range (±"
              + (int) Fp16.MAX_VALUE + ")");
        }
        for (int d = 0; d < dim; d++) {
          halves[d] = Float.floatToFloat16(vector[d]);
        }
        MemorySegment.copy(halves, 0, stage, JAVA_SHORT, (ord % perChunk) * rowBytes, dim);
        if (keyKind == TopKKernelSource.KEY_COSINE) {
          normsAndDocs.setAtIndex(JAVA_FLOAT, ord,
              (float) Math.sqrt(VectorUtil.dotProduct(vector, vector)));
        } else if (keyKind == TopKKernelSource.KEY_EUCLIDEAN) {
          normsAndDocs.setAtIndex(JAVA_FLOAT, ord, VectorUtil.dotProduct(vector, vector));
        }
        normsAndDocs.set(JAVA_INT, docsOffset + (long) ord * Integer.BYTES, doc);
        ordIsDoc &= doc == ord;
        ord++;
        if (ord % perChunk == 0 || ord == size) {
          int inChunk = (ord - 1) % perChunk + 1;
          // the previous chunk's copy, from the other stage, must be done before that stage is
          // filled again; this stage's last copy was waited for one chunk ago
          driver.synchronize(stream);
          driver.copyToDeviceAsync(vectorsOnDevice + (long) (ord - inChunk) * rowBytes, stage,
              inChunk * rowBytes, stream);
          chunks++;
        }
      }
      if (ord != size) {
        throw new IOException("vector values reported " + size + " vectors but iterated " + ord);
      }
      if (keyKind != TopKKernelSource.KEY_DOT) {
        normsOnDevice = driver.malloc((long) size * Float.BYTES);
        driver.copyToDeviceAsync(normsOnDevice, normsAndDocs, (long) size * Float.BYTES, stream);
      }
      if (!ordIsDoc) {
        docsOnDevice = driver.malloc((long) size * Integer.BYTES);
        driver.copyToDeviceAsync(docsOnDevice, normsAndDocs.asSlice(docsOffset),
            (long) size * Integer.BYTES, stream);
      }
      // all copies done: the index may be published, the staging freed
      driver.synchronize(stream);
      int maxDoc = size == 0 ? 0
          : normsAndDocs.get(JAVA_INT, docsOffset + (long) (size - 1) * Integer.BYTES) + 1;
      DeviceVectorIndex index = new DeviceVectorIndex(backend, size, dim, keyKind, maxDoc,
          reservedBytes);
      index.vectors = vectorsOnDevice;
      index.norms = normsOnDevice;
      index.ordToDoc = docsOnDevice;
      done = true;
      return index;
    } finally {
      // the caller releases the budget it reserved; a failure here must not hide the first one
      List<QuietRelease.Step> steps = new ArrayList<>();
      steps.add(() -> driver.synchronize(stream)); // no copy may still read the staging
      for (MemorySegment host : new MemorySegment[] {stages[0], stages[1], normsAndDocs}) {
        steps.add(() -> driver.freeHost(host));
      }
      if (!done) {
        for (long device : new long[] {vectorsOnDevice, normsOnDevice, docsOnDevice}) {
          steps.add(() -> driver.free(device));
        }
      }
      steps.add(() -> driver.destroyStream(stream));
      QuietRelease.releaseAll("an upload's staging", DeviceVectorIndex::warn,
          steps.toArray(new QuietRelease.Step[0]));
    }
  }

  private static void warn(String line) {
    LOG.log(Level.WARNING, line);
  }

  @Override
  public int[] search(float[] target, int count, Bits acceptDocs) throws IOException {
    if (!Fp16.inRange(target)) {
      return null; // scored as fp16 it would be infinite
    }
    long[] words = null;
    if (acceptDocs instanceof BitSet) {
      words = DocBitset.words(acceptDocs);
    }
    Query query = new Query(target, count, acceptDocs, words);
    closeLock.readLock().lock();
    try {
      if (closed) {
        throw new AlreadyClosedException("GPU vectors already released");
      }
      coalescer.run(query);
    } finally {
      closeLock.readLock().unlock();
    }
    return query.result;
  }

  /**
   * Runs one batch; another may run on this index at the same time, on another stream. The reused
   * filters it copies into {@link #filterSlots} are trusted by other batches only once it has run
   * (its stream synchronized): a failed batch gives their slots up.
   */
  void execute(List<Query> batch) throws IOException {
    ReusedFilterSlots.Batch slots = filterSlots.startBatch();
    boolean succeeded = false;
    try {
      backend.execute(this, batch, slots);
      succeeded = true;
    } catch (CudaException e) {
      throw e.forReader();
    } finally {
      filterSlots.endBatch(slots, succeeded);
    }
  }

  /**
   * Device buffers for reused filters (segments' live docs), by {@link ReusedFilterSlots}. A slot
   * is filled on the stream of the batch that claims it and read by later batches on other
   * streams: safe because {@link ReusedFilterSlots} lets no other batch read a slot until its
   * filling batch has synchronized its stream, nor refill one a running batch reads.
   */
  ReusedFilterSlots filterSlots() {
    return filterSlots;
  }

  /** The device buffer of slot {@code slot}; allocates all slots' on first use. */
  synchronized long filterSlotAddress(int slot) throws CudaException {
    long bytesPerSlot = (long) filterWordCount() * Long.BYTES;
    if (filterSlotWords == 0) {
      filterSlotWords = backend.driver().malloc(bytesPerSlot * filterSlots.size());
    }
    return filterSlotWords + slot * bytesPerSlot;
  }

  int size() {
    return size;
  }

  int dimension() {
    return dimension;
  }

  int keyKind() {
    return keyKind;
  }

  long vectors() {
    return vectors;
  }

  long norms() {
    return norms;
  }

  long ordToDoc() {
    return ordToDoc;
  }

  /** Words of a filter bitset over this segment's documents (those up to the last with a vector). */
  int filterWordCount() {
    return DocBitset.wordCount(maxDoc);
  }

  /** Frees the device memory; never throws (see {@link QuietRelease}). */
  @Override
  public void close() {
    closeLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      CudaDriver driver = backend.driver();
      long[] device = {vectors, norms, ordToDoc, filterSlotWords};
      vectors = norms = ordToDoc = filterSlotWords = 0;
      QuietRelease.releaseAll("a segment's GPU vectors", DeviceVectorIndex::warn,
          backend::makeCurrent,
          () -> driver.free(device[0]),
          () -> driver.free(device[1]),
          () -> driver.free(device[2]),
          () -> driver.free(device[3]));
      backend.release(reservedBytes);
    } finally {
      closeLock.writeLock().unlock();
    }
  }
}
