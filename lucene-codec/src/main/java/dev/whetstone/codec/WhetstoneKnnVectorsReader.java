package dev.whetstone.codec;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.StringHelper;
import org.apache.lucene.util.hnsw.HnswGraph;
import org.apache.lucene.util.hnsw.RandomAccessVectorValues;

/**
 * Reads what {@link WhetstoneKnnVectorsFormat} wrote through Lucene's HNSW reader, and answers
 * float searches exactly on the GPU for the fields whose vectors it holds (see {@link
 * KnnSearchMode}; each field's settings are in its field info, {@link KnnFieldSettings}). A
 * field's vectors go to the GPU when it is first searched and leave it when this reader closes.
 */
public final class WhetstoneKnnVectorsReader extends KnnVectorsReader implements HnswGraphProvider {
  private static final System.Logger LOG =
      System.getLogger(WhetstoneKnnVectorsReader.class.getName());
  private static final Object ON_CPU = new Object();

  private final KnnVectorsReader hnsw;
  private final String segment;
  /** The segment's unique id: fallbacks are logged once per segment field, whatever its name. */
  private final String segmentKey;
  private final FieldInfos fieldInfos;
  /** The node's settings, for the fields whose own say nothing. */
  private final GpuKnnSettings node;
  private final Map<String, KnnFieldSettings> fieldSettings = new HashMap<>();
  /** Per field: its {@link GpuField}, or {@link #ON_CPU} once it is known to stay on the CPU. */
  private final Map<String, Object> gpuFields = new ConcurrentHashMap<>();
  /** Guarded by {@link #gpuFields}' lock: no upload once closing has begun. */
  private boolean closed;

  WhetstoneKnnVectorsReader(KnnVectorsReader hnsw, SegmentInfo segment, FieldInfos fieldInfos,
      GpuKnnSettings node) {
    this.hnsw = hnsw;
    this.node = node;
    this.segment = segment.name;
    this.segmentKey = StringHelper.idToString(segment.getId());
    this.fieldInfos = fieldInfos;
    for (FieldInfo info : fieldInfos) {
      if (info.hasVectorValues()) {
        fieldSettings.put(info.name, KnnFieldSettings.readFrom(info));
      }
    }
  }

  @Override
  public void search(String field, float[] target, KnnCollector collector, Bits acceptDocs)
      throws IOException {
    search(fieldSettings(field).effectiveSearchMode(node), field, target, collector, acceptDocs);
  }

  /** A float search in {@code mode}, whatever the field's and the node's; see {@link SearchModeReader}. */
  void search(KnnSearchMode mode, String field, float[] target, KnnCollector collector,
      Bits acceptDocs) throws IOException {
    switch (mode) {
      case EXACT:
        ExactKnnSearch.search(hnsw.getFloatVectorValues(field), target, collector, acceptDocs);
        return;
      case AUTO:
        if (searchOnGpu(field, fieldSettings(field), target, collector, acceptDocs)) {
          return;
        }
        break;
      case HNSW:
        break;
    }
    hnsw.search(field, target, collector, acceptDocs);
  }

  private KnnFieldSettings fieldSettings(String field) {
    return fieldSettings.getOrDefault(field, KnnFieldSettings.NODE_DEFAULTS);
  }

  @Override
  public void search(String field, byte[] target, KnnCollector collector, Bits acceptDocs)
      throws IOException {
    hnsw.search(field, target, collector, acceptDocs);
  }

  private boolean searchOnGpu(String field, KnnFieldSettings settings, float[] target,
      KnnCollector collector, Bits acceptDocs) throws IOException {
    if (GpuKnn.backend() == null) {
      return false;
    }
    GpuField gpu = gpuField(field, settings);
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
    GpuKnn.countSearch();
    return true;
  }

  /** The field's vectors on the GPU, uploading them on first use; null when it stays on CPU. */
  private GpuField gpuField(String field, KnnFieldSettings settings) throws IOException {
    Object state = gpuFields.get(field);
    if (state == null) {
      synchronized (gpuFields) {
        if (closed) {
          return null;
        }
        state = gpuFields.get(field);
        if (state == null) {
          state = upload(field, settings);
          gpuFields.put(field, state);
        }
      }
    }
    return state == ON_CPU ? null : (GpuField) state;
  }

  private Object upload(String field, KnnFieldSettings settings) throws IOException {
    FieldInfo info = fieldInfos.fieldInfo(field);
    FloatVectorValues values = hnsw.getFloatVectorValues(field);
    GpuKnnBackend backend = GpuKnn.backend();
    if (info == null || info.getVectorEncoding() != VectorEncoding.FLOAT32 || values == null
        || backend == null || values.size() == 0
        || values.size() < settings.effectiveMinVectors(node)
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
        GpuKnn.failed(e);
      }
      return ON_CPU;
    }
    FloatVectorValues fresh = hnsw.getFloatVectorValues(field);
    return new GpuField(info, index, (RandomAccessVectorValues.Floats) fresh, fresh.size());
  }

  /**
   * After a failed GPU search: an index closed under the search is no GPU failure (this search
   * runs on the CPU path, which fails in turn if this reader is closed); an out-of-memory moves
   * this segment field to the CPU, freeing its vectors; anything else moves the whole process.
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
        GpuKnn.failed(error);
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

  @Override
  public HnswGraph getGraph(String field) throws IOException {
    return hnsw instanceof HnswGraphProvider ? ((HnswGraphProvider) hnsw).getGraph(field) : null;
  }

  @Override
  public void checkIntegrity() throws IOException {
    hnsw.checkIntegrity();
  }

  @Override
  public FloatVectorValues getFloatVectorValues(String field) throws IOException {
    return hnsw.getFloatVectorValues(field);
  }

  @Override
  public ByteVectorValues getByteVectorValues(String field) throws IOException {
    return hnsw.getByteVectorValues(field);
  }

  @Override
  public long ramBytesUsed() {
    return hnsw.ramBytesUsed();
  }

  @Override
  public void close() throws IOException {
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
    hnsw.close();
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
