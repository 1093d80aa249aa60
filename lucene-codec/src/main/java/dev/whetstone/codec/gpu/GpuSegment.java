package dev.whetstone.codec.gpu;

import java.io.Closeable;
import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.StringHelper;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * The GPU side of one segment's {@code WhetstoneKnnVectorsReader}: its fields' vectors on its
 * node's {@link GpuKnn#backend() backend}, each uploaded when first searched and freed when
 * {@link #close closed}, and the fallbacks to the CPU (counted and logged as {@link KnnFallback}s),
 * so that a query never fails because of the GPU.
 */
public final class GpuSegment implements Closeable {
  private static final System.Logger LOG = System.getLogger(GpuSegment.class.getName());
  private static final Object ON_CPU = new Object();

  private final GpuKnn node;
  /** The segment's vectors as Lucene reads them: uploaded from, and used to rescore. */
  private final KnnVectorsReader vectors;
  private final String segment;
  /** The segment's unique id: fallbacks are logged once per segment field, whatever its name. */
  private final String segmentKey;
  private final FieldInfos fieldInfos;
  /** Per field: its {@link GpuField}, or {@link #ON_CPU} once it is known to stay on the CPU. */
  private final Map<String, Object> gpuFields = new ConcurrentHashMap<>();
  /** Guarded by {@link #gpuFields}' lock: no upload once closing has begun. */
  private boolean closed;

  /** The GPU side of {@code segment}, whose float vectors {@code vectors} reads, on {@code node}. */
  public GpuSegment(GpuKnn node, KnnVectorsReader vectors, SegmentInfo segment,
      FieldInfos fieldInfos) {
    this.node = node;
    this.vectors = vectors;
    this.segment = segment.name;
    this.segmentKey = StringHelper.idToString(segment.getId());
    this.fieldInfos = fieldInfos;
  }

  /**
   * Searches {@code field} exactly on the GPU, uploading its vectors on first use if the segment
   * has at least {@code minVectors} of them; Lucene's own scores rank the GPU's candidates.
   *
   * @return false when this search is to run on the CPU instead (no backend, the field stays on
   *     the CPU, or a fallback, counted and logged)
   */
  public boolean search(String field, int minVectors, float[] target, KnnCollector collector,
      Bits acceptDocs) throws IOException {
    if (node.backend() == null) {
      return false;
    }
    GpuField gpu = gpuField(field, minVectors);
    if (gpu == null) {
      return false;
    }
    // the GPU's fp16 scores only pick the candidates; Lucene's own scores rank them
    int count = collector.k() + GpuVectorIndex.RESCORE_MARGIN;
    if (count > GpuVectorIndex.MAX_CANDIDATES) {
      fallback(KnnFallback.K_TOO_LARGE, field, "k=" + collector.k() + " plus the margin of "
          + GpuVectorIndex.RESCORE_MARGIN + " is over the GPU's " + GpuVectorIndex.MAX_CANDIDATES
          + " candidates");
      return false;
    }
    int[] ords;
    try {
      ords = gpu.index.search(target, count, acceptDocs);
    } catch (IOException | RuntimeException e) {
      gpuFailed(field, gpu, e);
      return false;
    }
    if (ords == null) {
      fallback(KnnFallback.QUERY_BEYOND_FP16, field, "a query has a component beyond fp16's range"
          + " (±" + (int) Fp16.MAX_VALUE + ")");
      return false;
    }
    // Lucene's own scores for the candidates: the same scores, and so the same order, as on CPU
    RandomAccessVectorValues.Floats vectors = gpu.vectors.copy();
    for (int ord : ords) {
      collector.collect(vectors.ordToDoc(ord), gpu.field.getVectorSimilarityFunction()
          .compare(target, vectors.vectorValue(ord)));
    }
    // every accepted vector was scored; never more than the limit, which would mean "inexact"
    collector.incVisitedCount((int) Math.min(gpu.size, collector.visitLimit() - 1));
    node.countSearch();
    return true;
  }

  /** The field's vectors on the GPU, uploading them on first use; null when it stays on CPU. */
  private GpuField gpuField(String field, int minVectors) throws IOException {
    Object state = gpuFields.get(field);
    if (state == null) {
      synchronized (gpuFields) {
        if (closed) {
          return null;
        }
        state = gpuFields.get(field);
        if (state == null) {
          state = upload(field, minVectors);
          gpuFields.put(field, state);
        }
      }
    }
    return state == ON_CPU ? null : (GpuField) state;
  }

  private Object upload(String field, int minVectors) throws IOException {
    FieldInfo info = fieldInfos.fieldInfo(field);
    FloatVectorValues values = vectors.getFloatVectorValues(field);
    GpuKnnBackend backend = node.backend();
    if (info == null || info.getVectorEncoding() != VectorEncoding.FLOAT32 || values == null
        || backend == null || values.size() == 0
        || values.size() < minVectors
        || !(values instanceof RandomAccessVectorValues.Floats)) {
      return ON_CPU;
    }
    GpuVectorIndex index;
    try {
      index = backend.upload(values, info.getVectorSimilarityFunction());
    } catch (StaysOnCpuException e) {
      fallback(e.reason(), field, e.getMessage());
      return ON_CPU;
    } catch (IOException | RuntimeException e) {
      if (GpuFailure.of(e) == GpuFailure.SEGMENT_OUT_OF_MEMORY) {
        outOfMemory(field, e);
      } else {
        node.failed(e);
      }
      return ON_CPU;
    }
    FloatVectorValues fresh = vectors.getFloatVectorValues(field);
    return new GpuField(info, index, (RandomAccessVectorValues.Floats) fresh, fresh.size());
  }

  /**
   * After a failed GPU search: an index closed under the search is no GPU failure (this search
   * runs on the CPU path, which fails in turn if this reader is closed); an out-of-memory moves
   * this segment field to the CPU, freeing its vectors; anything else moves the whole node.
   */
  private void gpuFailed(String field, GpuField gpu, Throwable error) {
    switch (GpuFailure.of(error)) {
      case CLOSED:
        fallback(KnnFallback.RELEASED_DURING_SEARCH, field, "the GPU copy was released under a "
            + "search, which ran on the CPU: " + error);
        return;
      case SEGMENT_OUT_OF_MEMORY:
        // one of the searches that failed together moves the field, logs and frees
        if (gpuFields.replace(field, gpu, ON_CPU)) {
          outOfMemory(field, error);
          closeQuietly(gpu.index);
        }
        return;
      case DEVICE:
        node.failed(error);
    }
  }

  private void outOfMemory(String field, Throwable error) {
    fallback(KnnFallback.OUT_OF_MEMORY, field, "out of GPU memory, this field now searched on the"
        + " CPU (other segments stay on the GPU): " + error);
  }

  private void fallback(KnnFallback reason, String field, String why) {
    KnnFallbackLog.segment(reason, segmentKey, field,
        "field " + field + " of segment " + segment + " searched with HNSW on the CPU: " + why);
  }

  /** A GPU index's close must not fail the reader's: the device may be in a sticky error state. */
  private static void closeQuietly(GpuVectorIndex index) {
    try {
      index.close();
    } catch (IOException | RuntimeException e) {
      LOG.log(Level.WARNING, "Whetstone kNN: freeing a segment's GPU vectors failed: " + e);
    }
  }

  /** Frees the fields' GPU copies (never throws: see {@link #closeQuietly}); no upload after. */
  @Override
  public void close() {
    List<GpuField> onGpu = new ArrayList<>();
    synchronized (gpuFields) {
      closed = true;
      for (Object state : gpuFields.values()) {
        if (state instanceof GpuField) {
          onGpu.add((GpuField) state);
        }
      }
      gpuFields.clear();
    }
    for (GpuField gpu : onGpu) {
      closeQuietly(gpu.index);
    }
  }

  /** A field whose vectors are on the GPU, with the CPU copy used to rescore its candidates. */
  private static final class GpuField {
    final FieldInfo field;
    final GpuVectorIndex index;
    final RandomAccessVectorValues.Floats vectors;
    final int size;

    GpuField(FieldInfo field, GpuVectorIndex index, RandomAccessVectorValues.Floats vectors, int size) {
      this.field = field;
      this.index = index;
      this.vectors = vectors;
      this.size = size;
    }
  }
}
