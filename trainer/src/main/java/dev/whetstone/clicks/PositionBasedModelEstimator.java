package dev.whetstone.clicks;

import java.util.Arrays;
import java.util.List;

/**
 * Position bias by expectation-maximization on the position-based click model (PBM): a click
 * happens when the user examines rank r (probability θ_r) and finds the document relevant to the
 * query text (probability γ_qd), independently. Follows the EM of Wang et al. 2018, "Position Bias
 * Estimation for Unbiased Learning to Rank in Personal Search" (WSDM), with one free γ per
 * (query text, document) instead of their regression on features.
 *
 * <p>θ is identifiable only when documents appear at more than one rank: a log where every query
 * always shows the same list cannot tell "rarely examined" from "rarely relevant".
 *
 * <p>Deterministic: every θ_r and γ_qd starts at 0.5.
 */
public final class PositionBasedModelEstimator implements PropensityEstimator {
  public static final int DEFAULT_MAX_ITERATIONS = 1000;
  /** Stop when no θ_r moved more than this in one iteration. */
  public static final double DEFAULT_TOLERANCE = 1e-7;
  private static final double INITIAL_PROBABILITY = 0.5;

  private final int maxIterations;
  private final double tolerance;

  public PositionBasedModelEstimator() {
    this(DEFAULT_MAX_ITERATIONS, DEFAULT_TOLERANCE);
  }

  public PositionBasedModelEstimator(int maxIterations, double tolerance) {
    if (maxIterations < 1) {
      throw new IllegalArgumentException("maxIterations must be >= 1, got " + maxIterations);
    }
    if (!(tolerance >= 0)) {
      throw new IllegalArgumentException("tolerance must be >= 0, got " + tolerance);
    }
    this.maxIterations = maxIterations;
    this.tolerance = tolerance;
  }

  @Override
  public PositionPropensities estimate(List<Impression> log) {
    PositionCounts counts = PositionCounts.of(log);
    if (counts.depth == 0) {
      throw new IllegalArgumentException("the click log shows no documents");
    }
    double[] theta = new double[counts.depth];
    double[] gamma = new double[counts.pairs];
    Arrays.fill(theta, INITIAL_PROBABILITY);
    Arrays.fill(gamma, INITIAL_PROBABILITY);
    double[] thetaSum = new double[counts.depth];
    double[] thetaCount = new double[counts.depth];
    double[] gammaSum = new double[counts.pairs];
    double[] gammaCount = new double[counts.pairs];
    for (int iteration = 0; iteration < maxIterations; iteration++) {
      Arrays.fill(thetaSum, 0);
      Arrays.fill(thetaCount, 0);
      Arrays.fill(gammaSum, 0);
      Arrays.fill(gammaCount, 0);
      for (PositionCounts.Cell cell : counts.cells) {
        double t = theta[cell.rank() - 1];
        double g = gamma[cell.pair()];
        long skips = cell.impressions() - cell.clicks();
        // E step: a click means examined and relevant; a skip splits by the posterior.
        double examinedGivenSkip = 0;
        double relevantGivenSkip = 0;
        if (skips > 0) {
          double noClick = 1 - t * g;
          examinedGivenSkip = t * (1 - g) / noClick;
          relevantGivenSkip = (1 - t) * g / noClick;
        }
        thetaSum[cell.rank() - 1] += cell.clicks() + skips * examinedGivenSkip;
        thetaCount[cell.rank() - 1] += cell.impressions();
        gammaSum[cell.pair()] += cell.clicks() + skips * relevantGivenSkip;
        gammaCount[cell.pair()] += cell.impressions();
      }
      // M step: each probability becomes its expected share.
      double change = 0;
      for (int r = 0; r < theta.length; r++) {
        double updated = thetaSum[r] / thetaCount[r];
        change = Math.max(change, Math.abs(updated - theta[r]));
        theta[r] = updated;
      }
      for (int p = 0; p < gamma.length; p++) {
        gamma[p] = gammaSum[p] / gammaCount[p];
      }
      if (change <= tolerance) {
        break;
      }
    }
    if (!(theta[0] > 0)) {
      throw new IllegalArgumentException("no clicks at rank 1: examination cannot be normalized");
    }
    return PositionPropensities.estimated(theta);
  }
}
