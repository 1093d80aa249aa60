package dev.whetstone.codec;

import dev.whetstone.codec.gpu.GpuKnn;
import java.io.IOException;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.index.SegmentReadState;
import org.apache.lucene.index.SegmentWriteState;

/**
 * Vectors written as stock Lucene99 HNSW graph + flat vectors, so every node without a GPU (and
 * CheckIndex) reads them as plain Lucene; searched exactly on the GPU where one is available.
 *
 * <p>The files are exactly {@link Lucene99HnswVectorsFormat}'s: the GPU copy is built from the
 * flat vectors when a segment is first searched, so no sidecar file is needed. The SPI name is
 * versioned: a future change of what is written gets a new name, and this one keeps reading
 * old segments.
 *
 * <p>A field's {@link KnnFieldSettings} (search mode, minimum vectors for the GPU) go into its
 * field info in each segment written, where the reader finds them. The node's settings and GPU
 * ({@link GpuKnn}) serve the fields whose own say nothing: {@link GpuKnn#node()} for the instance
 * Lucene makes through SPI, which reads every segment a per-field format wrote.
 */
public final class WhetstoneKnnVectorsFormat extends KnnVectorsFormat {
  /** The SPI name recorded in each segment's field infos. */
  public static final String NAME = "WhetstoneGpuKnn1";

  private final GpuKnn node;
  private final Lucene99HnswVectorsFormat hnsw;
  private final KnnFieldSettings fieldSettings;

  /**
   * Lucene's default graph parameters, the node's settings; the SPI constructor used for reading,
   * whose readers search on this JVM's node ({@link GpuKnn#node()}).
   */
  public WhetstoneKnnVectorsFormat() {
    this(GpuKnn.node(), new Lucene99HnswVectorsFormat(), KnnFieldSettings.NODE_DEFAULTS);
  }

  /** HNSW graph parameters for writing, as {@link Lucene99HnswVectorsFormat#Lucene99HnswVectorsFormat(int, int)}. */
  public WhetstoneKnnVectorsFormat(int maxConn, int beamWidth) {
    this(maxConn, beamWidth, KnnFieldSettings.NODE_DEFAULTS);
  }

  /** HNSW graph parameters and the settings recorded for the fields this instance writes. */
  public WhetstoneKnnVectorsFormat(int maxConn, int beamWidth, KnnFieldSettings fieldSettings) {
    this(GpuKnn.node(), maxConn, beamWidth, fieldSettings);
  }

  /**
   * As {@link #WhetstoneKnnVectorsFormat(int, int, KnnFieldSettings)}, its readers searching on
   * {@code node}: the segments read through this instance (a codec's own vectors format; a
   * per-field one is read through SPI, on {@link GpuKnn#node()}).
   */
  public WhetstoneKnnVectorsFormat(GpuKnn node, int maxConn, int beamWidth,
      KnnFieldSettings fieldSettings) {
    this(node, new Lucene99HnswVectorsFormat(maxConn, beamWidth), fieldSettings);
  }

  /** Graph parameters plus concurrent graph merging on {@code mergeExec}. */
  public WhetstoneKnnVectorsFormat(
      int maxConn, int beamWidth, int numMergeWorkers, ExecutorService mergeExec) {
    this(GpuKnn.node(),
        new Lucene99HnswVectorsFormat(maxConn, beamWidth, numMergeWorkers, mergeExec),
        KnnFieldSettings.NODE_DEFAULTS);
  }

  private WhetstoneKnnVectorsFormat(GpuKnn node, Lucene99HnswVectorsFormat hnsw,
      KnnFieldSettings fieldSettings) {
    super(NAME);
    this.node = Objects.requireNonNull(node, "node");
    this.hnsw = hnsw;
    this.fieldSettings = fieldSettings;
  }

  /** The settings this instance records for the fields it writes. */
  public KnnFieldSettings fieldSettings() {
    return fieldSettings;
  }

  @Override
  public KnnVectorsWriter fieldsWriter(SegmentWriteState state) throws IOException {
    return new SettingsRecordingWriter(hnsw.fieldsWriter(state), fieldSettings);
  }

  @Override
  public KnnVectorsReader fieldsReader(SegmentReadState state) throws IOException {
    return new WhetstoneKnnVectorsReader(hnsw.fieldsReader(state), state.segmentInfo,
        state.fieldInfos, node);
  }

  @Override
  public int getMaxDimensions(String fieldName) {
    return hnsw.getMaxDimensions(fieldName);
  }

  @Override
  public String toString() {
    return NAME + "(" + hnsw + ", " + fieldSettings + ")";
  }
}
