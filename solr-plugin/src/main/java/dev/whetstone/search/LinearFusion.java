package dev.whetstone.search;

import java.util.Locale;

/**
 * Linear fusion: each side's raw scores are normalized over its own candidates, then the weighted
 * normalized scores are added.
 *
 * <p>{@code minmax} and {@code zscore} map a side's lowest candidate to 0, which is also what a
 * document outside the side's candidates gets (it ranked below all of them), so no score is
 * negative. When a side's candidates all have the same score (one candidate, or ties), each of them
 * gets 1: there is no spread to normalize by, and they still beat the documents the side did not
 * return. With {@code relevance} the dense side is not rescaled per query: its last candidate keeps
 * the relevance the calibration gave it.
 */
public record LinearFusion(Normalization normalization) implements Fusion {

  /** How a side's raw scores are made comparable with the other side's. */
  public enum Normalization {
    /** {@code (s - min) / (max - min)}: the best candidate gets 1, the last 0. */
    MINMAX,
    /**
     * {@code (s - min) / stddev} (population standard deviation): the z-score, shifted by the
     * lowest candidate's z-score. The shift is the same for every document, so the ranking is
     * that of plain z-scores where a document outside the candidates counts as the lowest one.
     */
    ZSCORE,
    /**
     * The dense side's scores are taken as they are: they must be calibrated relevance in (0, 1)
     * (the dense query scores its hits so, see {@code CalibratedVectorQuery}), which means the same
     * for every query, unlike a per-query rescaling. The lexical side has no calibration and is
     * normalized as with {@link #MINMAX}, so both sides add values in [0, 1].
     */
    RELEVANCE
  }

  public LinearFusion {
    if (normalization == null) {
      throw new IllegalArgumentException("normalization is required");
    }
  }

  @Override
  public double[] contributions(float[] rankedScores) {
    int n = rankedScores.length;
    double min = Double.POSITIVE_INFINITY;
    double max = Double.NEGATIVE_INFINITY;
    double sum = 0;
    for (float s : rankedScores) {
      min = Math.min(min, s);
      max = Math.max(max, s);
      sum += s;
    }
    double spread;
    if (normalization != Normalization.ZSCORE) { // RELEVANCE: min-max on the lexical side
      spread = max - min;
    } else {
      double mean = sum / n;
      double squares = 0;
      for (float s : rankedScores) {
        squares += (s - mean) * (s - mean);
      }
      spread = Math.sqrt(squares / n);
    }
    double[] contributions = new double[n];
    for (int i = 0; i < n; i++) {
      // no spread (a single candidate, or ties): dividing would give NaN
      contributions[i] = spread > 0 && Double.isFinite(spread) ? (rankedScores[i] - min) / spread : 1;
    }
    return contributions;
  }

  @Override
  public double[] denseContributions(float[] rankedScores) {
    if (normalization != Normalization.RELEVANCE) {
      return contributions(rankedScores);
    }
    double[] contributions = new double[rankedScores.length];
    for (int i = 0; i < contributions.length; i++) {
      contributions[i] = rankedScores[i];
    }
    return contributions;
  }

  @Override
  public String toString() {
    return "linear(" + normalization.name().toLowerCase(Locale.ROOT) + ")";
  }
}
