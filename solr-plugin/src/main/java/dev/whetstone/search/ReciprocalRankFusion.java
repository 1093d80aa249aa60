package dev.whetstone.search;

/**
 * Reciprocal rank fusion: the candidate at rank {@code r} (1-based) contributes {@code 1 / (k + r)};
 * raw scores are ignored, so sides with incomparable scores fuse without normalization. Candidates
 * of equal score share the best rank of their group: the order of ties is arbitrary (it follows
 * doc ids, which differ between a sharded and a single-shard index), so it must not change scores.
 *
 * @param k damps the weight of the top ranks (60 in the original paper); at least 0
 */
public record ReciprocalRankFusion(double k) implements Fusion {
  public static final double DEFAULT_K = 60;

  public ReciprocalRankFusion {
    if (!(k >= 0) || Double.isInfinite(k)) {
      throw new IllegalArgumentException("rrfK must be a finite number >= 0, got " + k);
    }
  }

  @Override
  public double[] contributions(float[] rankedScores) {
    double[] contributions = new double[rankedScores.length];
    int rank = 0;
    for (int i = 0; i < contributions.length; i++) {
      if (i == 0 || rankedScores[i] != rankedScores[i - 1]) {
        rank = i + 1;
      }
      contributions[i] = 1 / (k + rank);
    }
    return contributions;
  }

  @Override
  public String toString() {
    return "rrf(k=" + k + ")";
  }
}
