package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.JAVA_FLOAT;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import dev.whetstone.codec.DocBitset;
import dev.whetstone.codec.GpuVectorIndex;
import dev.whetstone.codec.QueryCoalescer;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.VectorUtil;

/**
 * One segment field's vectors in device memory (fp32, row-major), with per-vector norms where
 * the similarity needs them and the ordinal-to-document map where documents lack vectors.
 * Concurrent searches are coalesced into batches, one GEMM each.
 */
final class DeviceVectorIndex implements GpuVectorIndex {
  /** Vectors staged per host-to-device copy while uploading. */
  private static final long UPLOAD_CHUNK_BYTES = 64L << 20;

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

  /** The last reused filter (a segment's live docs) and its device copy. */
  private volatile Bits cachedBits;
  private long cachedWords;

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
    this.coalescer = new QueryCoalescer<>(
        batch -> backend.execute(this, batch),
        backend.settings().maxBatch(),
        backend.settings().batchWindowNanos());
  }

  /** Bytes of device memory the vectors of {@code values} take here. */
  static long bytesFor(int size, int dimension) {
    // vectors, norms, ordinal-to-document map
    return (long) size * dimension * Float.BYTES + (long) size * (Float.BYTES + Integer.BYTES);
  }

  static DeviceVectorIndex upload(CudaKnnBackend backend, FloatVectorValues values,
      VectorSimilarityFunction similarity, long reservedBytes) throws IOException {
    CudaDriver driver = backend.driver();
    int size = values.size();
    int dim = values.dimension();
    int keyKind = TopKKernel.keyKind(similarity);
    float[] norms = new float[size];
    int[] docs = new int[size];
    DeviceVectorIndex index = null;
    long vectorsOnDevice = driver.malloc((long) size * dim * Float.BYTES);
    try (Arena arena = Arena.ofConfined()) {
      int perChunk = (int) Math.max(1, Math.min(size, UPLOAD_CHUNK_BYTES / ((long) dim * Float.BYTES)));
      MemorySegment stage = arena.allocate((long) perChunk * dim * Float.BYTES);
      boolean ordIsDoc = true;
      int ord = 0;
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        float[] vector = values.vectorValue();
        MemorySegment.copy(vector, 0, stage, JAVA_FLOAT,
            (long) (ord % perChunk) * dim * Float.BYTES, dim);
        if (keyKind == TopKKernel.KEY_COSINE) {
          norms[ord] = (float) Math.sqrt(VectorUtil.dotProduct(vector, vector));
        } else if (keyKind == TopKKernel.KEY_EUCLIDEAN) {
          norms[ord] = VectorUtil.dotProduct(vector, vector);
        }
        docs[ord] = doc;
        ordIsDoc &= doc == ord;
        ord++;
        if (ord % perChunk == 0 || ord == size) {
          int inChunk = (ord - 1) % perChunk + 1;
          driver.copyToDevice(vectorsOnDevice + (long) (ord - inChunk) * dim * Float.BYTES, stage,
              (long) inChunk * dim * Float.BYTES);
        }
      }
      if (ord != size) {
        throw new IOException("vector values reported " + size + " vectors but iterated " + ord);
      }
      index = new DeviceVectorIndex(backend, size, dim, keyKind, docs.length == 0 ? 0
          : docs[size - 1] + 1, reservedBytes);
      index.vectors = vectorsOnDevice;
      if (keyKind != TopKKernel.KEY_DOT) {
        index.norms = copy(driver, arena.allocateFrom(JAVA_FLOAT, norms), (long) size * Float.BYTES);
      }
      if (!ordIsDoc) {
        index.ordToDoc = copy(driver, arena.allocateFrom(JAVA_INT, docs), (long) size * Integer.BYTES);
      }
      return index;
    } catch (IOException | RuntimeException e) {
      // the caller releases the budget it reserved
      driver.free(vectorsOnDevice);
      if (index != null) {
        driver.free(index.norms);
        driver.free(index.ordToDoc);
      }
      throw e;
    }
  }

  private static long copy(CudaDriver driver, MemorySegment host, long bytes) throws CudaException {
    long device = driver.malloc(bytes);
    try {
      driver.copyToDevice(device, host, bytes);
      return device;
    } catch (CudaException e) {
      driver.free(device);
      throw e;
    }
  }

  @Override
  public int[] search(float[] target, int count, Bits acceptDocs) throws IOException {
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
   * The device address of a reused filter's words (a segment's live docs), copying them the first
   * time. Called by the batch's thread only, once per batch: one reused filter per batch.
   */
  long reusedFilter(Bits bits) throws CudaException {
    if (bits != cachedBits) {
      long[] words = DocBitset.words(bits);
      long capacity = (long) filterWordCount() * Long.BYTES;
      CudaDriver driver = backend.driver();
      if (cachedWords == 0) {
        cachedWords = driver.malloc(capacity);
      }
      try (Arena arena = Arena.ofConfined()) {
        driver.copyToDevice(cachedWords, arena.allocateFrom(JAVA_LONG, words),
            Math.min((long) words.length * Long.BYTES, capacity));
      }
      cachedBits = bits;
    }
    return cachedWords;
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

  @Override
  public void close() throws IOException {
    closeLock.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      freeDeviceMemory();
    } finally {
      closeLock.writeLock().unlock();
    }
  }

  private void freeDeviceMemory() throws CudaException {
    try {
      backend.makeCurrent();
      CudaDriver driver = backend.driver();
      driver.free(vectors);
      driver.free(norms);
      driver.free(ordToDoc);
      driver.free(cachedWords);
    } finally {
      vectors = norms = ordToDoc = cachedWords = 0;
      backend.release(reservedBytes);
    }
  }
}
