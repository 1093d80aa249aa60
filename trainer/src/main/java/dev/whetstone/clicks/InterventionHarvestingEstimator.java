package dev.whetstone.clicks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.commons.math3.linear.Array2DRowRealMatrix;
import org.apache.commons.math3.linear.ArrayRealVector;
import org.apache.commons.math3.linear.QRDecomposition;
import org.apache.commons.math3.linear.RealVector;

/**
 * Position bias from interventions the log already holds, after Agarwal et al. 2019, "Estimating
 * Position Bias without Intrusive Interventions" (WSDM): when ranker changes or A/B tests showed
 * the same (query text, document) at ranks k and k', the ratio of its click-through rates there
 * is η_k / η_k', with relevance cancelled out and no randomized experiment needed.
 *
 * <p>For each rank pair, the set S_kk' of pairs seen at both ranks gives the ratio
 * Σ_S ctr_k / Σ_S ctr_k' (ctr = clicks / impressions of that pair at that rank, so how often each
 * rank showed it does not matter). The log ratios of all rank pairs are then combined by weighted
 * least squares with log η_1 = 0, each weighted by the inverse of its approximate variance
 * 1 / (1/clicks_k + 1/clicks_k') — the all-pairs estimator of the paper, in closed form.
 *
 * <p>Ranks are estimated as deep as they stay connected to rank 1 through rank pairs with clicks
 * on both sides; deeper ranks get the last estimate. A log without any such pair (every query
 * always showed the same list) has no interventions: {@link #estimate} then fails with a message
 * that says so, and {@link PositionBasedModelEstimator} or a given propensity is the fallback.
 */
public final class InterventionHarvestingEstimator implements PropensityEstimator {
  @Override
  public PositionPropensities estimate(List<Impression> log) {
    PositionCounts counts = PositionCounts.of(log);
    int depth = counts.depth;
    if (depth == 0) {
      throw new IllegalArgumentException("the click log shows no documents");
    }
    // ctrSum[k][k'] = Σ over S_kk' of ctr at k; clickSum likewise with clicks (0-based ranks)
    double[][] ctrSum = new double[depth][depth];
    long[][] clickSum = new long[depth][depth];
    List<PositionCounts.Cell> cells = counts.cells;
    for (int start = 0; start < cells.size(); ) {
      int end = start;
      while (end < cells.size() && cells.get(end).pair() == cells.get(start).pair()) {
        end++;
      }
      for (int i = start; i < end; i++) {
        for (int j = start; j < end; j++) {
          if (i != j) {
            PositionCounts.Cell at = cells.get(i);
            int k = at.rank() - 1;
            int other = cells.get(j).rank() - 1;
            ctrSum[k][other] += (double) at.clicks() / at.impressions();
            clickSum[k][other] += at.clicks();
          }
        }
      }
      start = end;
    }
    boolean[] reached = reachedFromTop(clickSum);
    int estimatedDepth = 0;
    while (estimatedDepth < depth && reached[estimatedDepth]) {
      estimatedDepth++;
    }
    if (estimatedDepth < 2) {
      throw new IllegalArgumentException("the click log has no interventions: no (query text, "
          + "document) pair was clicked at two different positions, so rank 2 cannot be compared "
          + "with rank 1; use the position-based model (--propensity em) or given propensities "
          + "(--propensity given) instead");
    }
    double[] eta = solve(ctrSum, clickSum, reached);
    return PositionPropensities.estimated(Arrays.copyOf(eta, estimatedDepth));
  }

  /** Which ranks are linked to rank 1 by a chain of rank pairs with clicks on both sides. */
  private static boolean[] reachedFromTop(long[][] clickSum) {
    int depth = clickSum.length;
    boolean[] reached = new boolean[depth];
    List<Integer> frontier = new ArrayList<>(List.of(0));
    reached[0] = true;
    while (!frontier.isEmpty()) {
      int k = frontier.remove(frontier.size() - 1);
      for (int other = 0; other < depth; other++) {
        if (!reached[other] && comparable(clickSum, k, other)) {
          reached[other] = true;
          frontier.add(other);
        }
      }
    }
    return reached;
  }

  private static boolean comparable(long[][] clickSum, int k, int other) {
    return clickSum[k][other] > 0 && clickSum[other][k] > 0;
  }

  /**
   * Weighted least squares for log η of the reached ranks below the top (log η_1 = 0) over all
   * comparable rank pairs; unreached ranks come back as NaN.
   */
  private static double[] solve(double[][] ctrSum, long[][] clickSum, boolean[] reached) {
    int depth = reached.length;
    int[] unknown = new int[depth];
    int unknowns = 0;
    for (int r = 1; r < depth; r++) {
      unknown[r] = reached[r] ? unknowns++ : -1;
    }
    List<double[]> rows = new ArrayList<>();
    List<Double> targets = new ArrayList<>();
    for (int k = 0; k < depth; k++) {
      for (int other = k + 1; other < depth; other++) {
        if (!reached[k] || !reached[other] || !comparable(clickSum, k, other)) {
          continue;
        }
        double weight = Math.sqrt(
            1 / (1.0 / clickSum[k][other] + 1.0 / clickSum[other][k]));
        double[] row = new double[unknowns];
        if (k > 0) {
          row[unknown[k]] = weight;
        }
        row[unknown[other]] = -weight;
        rows.add(row);
        targets.add(weight * Math.log(ctrSum[k][other] / ctrSum[other][k]));
      }
    }
    RealVector logEta = new QRDecomposition(new Array2DRowRealMatrix(rows.toArray(double[][]::new)))
        .getSolver()
        .solve(new ArrayRealVector(targets.stream().mapToDouble(Double::doubleValue).toArray()));
    double[] eta = new double[depth];
    eta[0] = 1;
    for (int r = 1; r < depth; r++) {
      eta[r] = reached[r] ? Math.exp(logEta.getEntry(unknown[r])) : Double.NaN;
    }
    return eta;
  }
}
