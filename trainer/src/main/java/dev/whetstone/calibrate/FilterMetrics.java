package dev.whetstone.calibrate;

import java.util.Arrays;
import java.util.List;

/**
 * How well a cut-off filters kNN hits, micro-averaged over queries: precision and recall of the
 * returned set (recall against every relevant document of the query, retrieved or not), their F1,
 * the documents returned per query and the share of queries left with nothing. Values are one
 * number per hit (raw score or calibrated relevance); a threshold keeps the hits at or above it.
 */
public final class FilterMetrics {
  private FilterMetrics() {}

  /** The figures of one cut-off. */
  public record Result(double cutOff, double precision, double recall, double f1,
      double returnedPerQuery, double emptyShare) {}

  /** A whole precision–recall curve: one point per distinct value, highest first. */
  public record Curve(double[] thresholds, double[] precision, double[] recall) {
    /** Highest precision at a recall of at least {@code recall} (interpolated precision). */
    public double precisionAtRecall(double target) {
      double best = 0;
      for (int i = 0; i < recall.length; i++) {
        if (recall[i] >= target - 1e-12) {
          best = Math.max(best, precision[i]);
        }
      }
      return best;
    }

    /** The threshold of highest F1. */
    public double bestF1Threshold() {
      double best = -1;
      double threshold = thresholds.length == 0 ? 1 : thresholds[0];
      for (int i = 0; i < thresholds.length; i++) {
        double f1 = f1(precision[i], recall[i]);
        if (f1 > best) {
          best = f1;
          threshold = thresholds[i];
        }
      }
      return threshold;
    }
  }

  public static Curve curve(List<LabeledHits> queries, double[][] values) {
    int pairs = 0;
    for (LabeledHits query : queries) {
      pairs += query.size();
    }
    double[] value = new double[pairs];
    boolean[] relevant = new boolean[pairs];
    Integer[] order = new Integer[pairs];
    int i = 0;
    for (int q = 0; q < queries.size(); q++) {
      for (int j = 0; j < queries.get(q).size(); j++) {
        value[i] = values[q][j];
        relevant[i] = queries.get(q).relevant()[j];
        order[i] = i;
        i++;
      }
    }
    Arrays.sort(order, (x, y) -> Double.compare(value[y], value[x]));
    double totalRelevant = totalRelevant(queries);
    double[] thresholds = new double[pairs];
    double[] precision = new double[pairs];
    double[] recall = new double[pairs];
    int points = 0;
    int truePositives = 0;
    for (int rank = 0; rank < pairs; rank++) {
      int pair = order[rank];
      truePositives += relevant[pair] ? 1 : 0;
      boolean lastOfValue = rank + 1 == pairs || value[order[rank + 1]] < value[pair];
      if (lastOfValue) {
        thresholds[points] = value[pair];
        precision[points] = truePositives / (double) (rank + 1);
        recall[points] = totalRelevant == 0 ? 0 : truePositives / totalRelevant;
        points++;
      }
    }
    return new Curve(Arrays.copyOf(thresholds, points), Arrays.copyOf(precision, points),
        Arrays.copyOf(recall, points));
  }

  /** Keeps each query's hits whose value is at least {@code threshold}. */
  public static Result atThreshold(List<LabeledHits> queries, double[][] values,
      double threshold) {
    return measure(queries, threshold, (q, j) -> values[q][j] >= threshold);
  }

  /** Keeps each query's first {@code k} hits. */
  public static Result topK(List<LabeledHits> queries, int k) {
    return measure(queries, k, (q, j) -> j < k);
  }

  /**
   * Expected calibration error: hits binned by predicted relevance into ten equal-width bins; the
   * hit-weighted mean gap between a bin's mean prediction and its share of relevant hits.
   */
  public static double expectedCalibrationError(List<LabeledHits> queries, double[][] values) {
    int bins = 10;
    double[] predicted = new double[bins];
    double[] observed = new double[bins];
    long[] counts = new long[bins];
    long total = 0;
    for (int q = 0; q < queries.size(); q++) {
      for (int j = 0; j < queries.get(q).size(); j++) {
        double p = values[q][j];
        int bin = Math.min(bins - 1, (int) (p * bins));
        predicted[bin] += p;
        observed[bin] += queries.get(q).relevant()[j] ? 1 : 0;
        counts[bin]++;
        total++;
      }
    }
    double error = 0;
    for (int b = 0; b < bins; b++) {
      if (counts[b] > 0) {
        error += Math.abs(predicted[b] - observed[b]) / total;
      }
    }
    return error;
  }

  static double f1(double precision, double recall) {
    return precision + recall == 0 ? 0 : 2 * precision * recall / (precision + recall);
  }

  private interface Keep {
    boolean test(int query, int hit);
  }

  private static Result measure(List<LabeledHits> queries, double cutOff, Keep keep) {
    long returned = 0;
    long truePositives = 0;
    int empty = 0;
    for (int q = 0; q < queries.size(); q++) {
      LabeledHits query = queries.get(q);
      int kept = 0;
      for (int j = 0; j < query.size(); j++) {
        if (keep.test(q, j)) {
          kept++;
          truePositives += query.relevant()[j] ? 1 : 0;
        }
      }
      returned += kept;
      empty += kept == 0 ? 1 : 0;
    }
    double precision = returned == 0 ? 0 : truePositives / (double) returned;
    double totalRelevant = totalRelevant(queries);
    double recall = totalRelevant == 0 ? 0 : truePositives / totalRelevant;
    return new Result(cutOff, precision, recall, f1(precision, recall),
        returned / (double) queries.size(), empty / (double) queries.size());
  }

  private static double totalRelevant(List<LabeledHits> queries) {
    double total = 0;
    for (LabeledHits query : queries) {
      total += query.relevantTotal();
    }
    return total;
  }
}
