package dev.whetstone.clicks;

import java.util.Arrays;

/**
 * Examination probability per 1-based rank (the propensity η_r of the position-based model),
 * normalized so that rank 1 is 1.0: inverse propensity weights only need ratios between ranks.
 * Ranks beyond the estimated depth get the deepest estimate, the best guess a log allows.
 */
public final class PositionPropensities {
  private final double[] eta;

  private PositionPropensities(double[] eta) {
    this.eta = eta;
  }

  /**
   * Propensities the caller knows or chose, rank 1 first; divided by the first so rank 1 is 1.0.
   */
  public static PositionPropensities of(double... eta) {
    if (eta.length == 0) {
      throw new IllegalArgumentException("need the propensity of rank 1 at least");
    }
    for (int i = 0; i < eta.length; i++) {
      if (!(eta[i] > 0) || !Double.isFinite(eta[i])) {
        throw new IllegalArgumentException(
            "propensity of rank " + (i + 1) + " must be positive and finite, got " + eta[i]);
      }
    }
    double top = eta[0];
    return new PositionPropensities(Arrays.stream(eta).map(e -> e / top).toArray());
  }

  /**
   * An estimate from a log, made non-increasing: rank r keeps at most rank r - 1's examination.
   * Users read a result list from the top, so a deeper rank looked at more often than a higher
   * one is estimation noise (a small log, or one that cannot separate the ranks), and an inverse
   * weight built on it would shrink the clicks at that rank instead of raising them.
   */
  public static PositionPropensities estimated(double... eta) {
    PositionPropensities normalized = of(eta);
    double[] capped = normalized.eta.clone();
    for (int r = 1; r < capped.length; r++) {
      capped[r] = Math.min(capped[r], capped[r - 1]);
    }
    return new PositionPropensities(capped);
  }

  /** The usual power-law assumption η_r = (1/r)^θ (Joachims et al. 2017), for ranks 1..depth. */
  public static PositionPropensities powerLaw(double theta, int depth) {
    if (!(theta >= 0) || !Double.isFinite(theta)) {
      throw new IllegalArgumentException("theta must be >= 0 and finite, got " + theta);
    }
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    double[] eta = new double[depth];
    for (int r = 1; r <= depth; r++) {
      eta[r - 1] = Math.pow(1.0 / r, theta);
    }
    return new PositionPropensities(eta);
  }

  /** η at a 1-based rank; the deepest estimate for ranks beyond {@link #depth()}. */
  public double at(int rank) {
    if (rank < 1) {
      throw new IllegalArgumentException("rank must be >= 1, got " + rank);
    }
    return eta[Math.min(rank, eta.length) - 1];
  }

  /** How many ranks have their own estimate. */
  public int depth() {
    return eta.length;
  }

  /** The estimates, rank 1 first. */
  public double[] toArray() {
    return eta.clone();
  }

  /**
   * The θ of the power law η_r = (1/r)^θ closest to these propensities: least squares of
   * log η_r on log(1/r) through the origin (η_1 = 1 fixes the intercept). Summarizes an estimate
   * in one number and lets a test compare it with the θ a simulation used.
   */
  public double powerLawExponent() {
    if (eta.length < 2) {
      throw new IllegalStateException("a power law needs propensities for 2 ranks or more");
    }
    double xy = 0;
    double xx = 0;
    for (int r = 2; r <= eta.length; r++) {
      double x = Math.log(1.0 / r);
      xy += x * Math.log(eta[r - 1]);
      xx += x * x;
    }
    return xy / xx;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof PositionPropensities other && Arrays.equals(eta, other.eta);
  }

  @Override
  public int hashCode() {
    return Arrays.hashCode(eta);
  }

  @Override
  public String toString() {
    return "PositionPropensities" + Arrays.toString(eta);
  }
}
