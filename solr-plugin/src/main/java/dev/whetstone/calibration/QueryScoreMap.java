package dev.whetstone.calibration;

/**
 * One query's map from a vector score to a calibrated relevance: {@code sigmoid(a·g(s) + b)}, with
 * {@code a > 0}, so the map keeps the kNN order and a relevance threshold is a score threshold.
 *
 * @param a slope, > 0
 * @param b offset
 * @param p exponent of {@link ScoreMap#POWER}, > 0 (1 for the other forms)
 */
public record QueryScoreMap(ScoreMap map, double a, double b, double p) {
  public QueryScoreMap {
    if (!(a > 0) || !(p > 0) || !Double.isFinite(b) || !Double.isFinite(a) || !Double.isFinite(p)) {
      throw new IllegalArgumentException("score map needs finite a > 0 and p > 0, got a=" + a
          + " b=" + b + " p=" + p);
    }
  }

  /** Calibrated relevance in (0, 1) of a Lucene vector score. */
  public double relevance(double score) {
    return 1 / (1 + Math.exp(-(a * map.apply(score, p) + b)));
  }

  /**
   * The lowest vector score whose relevance reaches {@code threshold}: hits scoring below it are
   * filtered. 0 when every score passes; above 1 when none can.
   */
  public double minScore(double threshold) {
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("relevance threshold must be in (0, 1), got " + threshold);
    }
    double logit = Math.log(threshold / (1 - threshold));
    return map.inverse((logit - b) / a, p);
  }
}
