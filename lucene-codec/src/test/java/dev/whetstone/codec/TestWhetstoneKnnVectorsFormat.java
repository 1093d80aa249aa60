package dev.whetstone.codec;

import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.tests.index.BaseKnnVectorsFormatTestCase;

/**
 * Lucene's own conformance tests for vector formats, run against ours. Without a GPU (CI) reads
 * go through the HNSW path; the files are checked by CheckIndex after each test.
 */
public class TestWhetstoneKnnVectorsFormat extends BaseKnnVectorsFormatTestCase {
  @Override
  protected Codec getCodec() {
    return codecWith(new WhetstoneKnnVectorsFormat());
  }

  /** The default codec with {@code format} for every vector field. */
  public static Codec codecWith(KnnVectorsFormat format) {
    return new Lucene912Codec() {
      @Override
      public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
        return format;
      }
    };
  }

  public void testSpiNameReadsBack() {
    assertEquals(WhetstoneKnnVectorsFormat.class,
        KnnVectorsFormat.forName(WhetstoneKnnVectorsFormat.NAME).getClass());
  }
}
