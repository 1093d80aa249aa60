package dev.whetstone.codec;

import dev.whetstone.codec.gpu.GpuKnn;
import dev.whetstone.codec.gpu.GpuKnnSettings;
import dev.whetstone.codec.gpu.KnnSearchMode;

import dev.whetstone.codec.gpu.GpuSegment;
import java.io.IOException;
import java.util.HashMap;
import java.util.Map;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.hnsw.HnswGraphProvider;
import org.apache.lucene.index.ByteVectorValues;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FieldInfos;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.SegmentInfo;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.hnsw.HnswGraph;

/**
 * Reads what {@link WhetstoneKnnVectorsFormat} wrote through Lucene's HNSW reader, and answers
 * float searches exactly on the GPU for the fields whose vectors it holds (see {@link
 * KnnSearchMode}; each field's settings are in its field info, {@link KnnFieldSettings}). A
 * field's vectors go to the GPU when it is first searched and leave it when this reader closes.
 */
public final class WhetstoneKnnVectorsReader extends KnnVectorsReader implements HnswGraphProvider {
  private final KnnVectorsReader hnsw;
  /** The node's settings, for the fields whose own say nothing. */
  private final GpuKnnSettings nodeSettings;
  private final Map<String, KnnFieldSettings> fieldSettings = new HashMap<>();
  /** The fields' vectors on the GPU. */
  private final GpuSegment gpu;

  WhetstoneKnnVectorsReader(KnnVectorsReader hnsw, SegmentInfo segment, FieldInfos fieldInfos,
      GpuKnn node) {
    this.hnsw = hnsw;
    this.nodeSettings = node.settings();
    this.gpu = new GpuSegment(node, hnsw, segment, fieldInfos);
    for (FieldInfo info : fieldInfos) {
      if (info.hasVectorValues()) {
        fieldSettings.put(info.name, KnnFieldSettings.readFrom(info));
      }
    }
  }

  @Override
  public void search(String field, float[] target, KnnCollector collector, Bits acceptDocs)
      throws IOException {
    search(fieldSettings(field).effectiveSearchMode(nodeSettings), field, target, collector, acceptDocs);
  }

  /** A float search in {@code mode}, whatever the field's and the node's; see {@link SearchModeReader}. */
  void search(KnnSearchMode mode, String field, float[] target, KnnCollector collector,
      Bits acceptDocs) throws IOException {
    switch (mode) {
      case EXACT:
        ExactKnnSearch.search(hnsw.getFloatVectorValues(field), target, collector, acceptDocs);
        return;
      case AUTO:
        if (gpu.search(field, fieldSettings(field).effectiveMinVectors(nodeSettings), target, collector,
            acceptDocs)) {
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
    gpu.close();
    hnsw.close();
  }
}
