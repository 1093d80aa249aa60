package dev.whetstone.codec;

import dev.whetstone.codec.gpu.GpuKnn;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;

/**
 * The default codec with one {@link WhetstoneKnnVectorsFormat} as its vectors format, not a
 * per-field one: the near-real-time readers of a writer made with an instance read its segments
 * through that instance's format, so they search on the format's {@link GpuKnn} node (a per-field
 * format is read through SPI, on {@link GpuKnn#node()}). Registered by name, so that CheckIndex
 * reads the same files on the JVM's node.
 */
public final class NodeTestCodec extends FilterCodec {
  public static final String NAME = "WhetstoneNodeTest";

  private final WhetstoneKnnVectorsFormat vectors;

  /** The SPI constructor: the JVM's node. */
  public NodeTestCodec() {
    this(new WhetstoneKnnVectorsFormat());
  }

  public NodeTestCodec(WhetstoneKnnVectorsFormat vectors) {
    super(NAME, new Lucene912Codec());
    this.vectors = vectors;
  }

  @Override
  public KnnVectorsFormat knnVectorsFormat() {
    return vectors;
  }
}
