package dev.whetstone.clicks;

import java.util.List;

/**
 * Estimates examination propensities per position from a click log. One interface so the
 * estimators (PBM by EM, intervention harvesting, or numbers the user gives) can be swapped.
 */
@FunctionalInterface
public interface PropensityEstimator {
  PositionPropensities estimate(List<Impression> log);

  /** Ignores the log and answers the propensities the user supplies. */
  static PropensityEstimator given(PositionPropensities propensities) {
    return log -> propensities;
  }
}
