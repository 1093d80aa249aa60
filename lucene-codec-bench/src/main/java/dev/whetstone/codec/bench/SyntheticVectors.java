package dev.whetstone.codec.bench;

import dev.whetstone.codec.gpu.GpuKnnBackend;
import java.util.SplittableRandom;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.util.VectorUtil;

/** Random unit vectors for benches that upload vectors without building a Lucene index. */
public final class SyntheticVectors {
  private SyntheticVectors() {}

  /**
   * {@code count} Gaussian vectors normalized to unit length (uniform on the sphere: the hardest
   * case for a reduced-precision scan, whose top-k scores are close together).
   */
  public static float[][] unitVectors(int count, int dimension, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    float[][] vectors = new float[count][dimension];
    for (float[] v : vectors) {
      for (int d = 0; d < dimension; d++) {
        v[d] = (float) random.nextGaussian();
      }
      VectorUtil.l2normalize(v);
    }
    return vectors;
  }

  /** {@code vectors} as the one-pass iterator {@code GpuKnnBackend.upload} reads; doc = ordinal. */
  public static FloatVectorValues values(float[][] vectors) {
    return new FloatVectorValues() {
      private int doc = -1;

      @Override
      public int dimension() {
        return vectors.length == 0 ? 0 : vectors[0].length;
      }

      @Override
      public int size() {
        return vectors.length;
      }

      @Override
      public float[] vectorValue() {
        return vectors[doc];
      }

      @Override
      public VectorScorer scorer(float[] query) {
        // uploads read the vectors only; scoring is BruteForce's job here
        throw new UnsupportedOperationException("synthetic vector values have no scorer");
      }

      @Override
      public int docID() {
        return doc;
      }

      @Override
      public int nextDoc() {
        return advance(doc + 1);
      }

      @Override
      public int advance(int target) {
        doc = target < vectors.length ? target : NO_MORE_DOCS;
        return doc;
      }
    };
  }
}
