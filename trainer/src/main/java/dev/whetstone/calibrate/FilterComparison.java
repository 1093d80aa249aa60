package dev.whetstone.calibrate;

import dev.whetstone.calibration.CosineAdapter;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The four ways of cutting a kNN list compared on held-out queries: top-k, one global raw-score
 * threshold, global Platt scaling and the Cosine Adapter. Every cut-off is chosen on dev and
 * measured on test; the curves also give each method's precision at the recall of top-10.
 * Optionally, another data set's queries against this index: the share that comes back empty.
 * This class computes the figures; {@code FilterComparisonMarkdown} renders them as tables and
 * {@code PrecisionRecallChart} draws the curves.
 */
public final class FilterComparison {
  private final List<LabeledHits> dev;
  private final List<LabeledHits> test;
  private final CosineAdapter adapter;
  private final CosineAdapter platt;

  public FilterComparison(List<LabeledHits> dev, List<LabeledHits> test, CosineAdapter adapter,
      CosineAdapter platt) {
    this.dev = dev;
    this.test = test;
    this.adapter = adapter;
    this.platt = platt;
  }

  /** One method's row: its cut-off from dev, measured on test. */
  public record Row(String method, String cutOff, FilterMetrics.Result test,
      double precisionAtTop10Recall, double ece) {}

  public List<Row> rows() {
    List<Row> rows = new ArrayList<>();
    double top10Recall = FilterMetrics.topK(test, 10).recall();
    int bestK = 1;
    double bestF1 = -1;
    for (int k = 1; k <= 100; k++) {
      double f1 = FilterMetrics.topK(dev, k).f1();
      if (f1 > bestF1) {
        bestF1 = f1;
        bestK = k;
      }
    }
    FilterMetrics.Result topK = FilterMetrics.topK(test, bestK);
    rows.add(new Row("top-k (k of best dev F1)", "k = " + bestK, topK, Double.NaN, Double.NaN));
    FilterMetrics.Result top10 = FilterMetrics.topK(test, 10);
    rows.add(new Row("top-10", "k = 10", top10, top10.precision(), Double.NaN));
    rows.add(thresholdRow("global raw-score threshold", Calibrator.rawScores(dev),
        Calibrator.rawScores(test), top10Recall, false));
    rows.add(thresholdRow("global Platt scaling", Calibrator.relevance(platt, dev),
        Calibrator.relevance(platt, test), top10Recall, true));
    rows.add(thresholdAt("Cosine Adapter (" + adapter.map().label() + ")", adapter.threshold(),
        Calibrator.relevance(adapter, test), top10Recall));
    return rows;
  }

  private Row thresholdRow(String method, double[][] devValues, double[][] testValues,
      double top10Recall, boolean calibrated) {
    double threshold = FilterMetrics.curve(dev, devValues).bestF1Threshold();
    FilterMetrics.Result result = FilterMetrics.atThreshold(test, testValues, threshold);
    return new Row(method, String.format(Locale.ROOT, "%s ≥ %.4f",
        calibrated ? "relevance" : "score", threshold), result,
        FilterMetrics.curve(test, testValues).precisionAtRecall(top10Recall),
        calibrated ? FilterMetrics.expectedCalibrationError(test, testValues) : Double.NaN);
  }

  private Row thresholdAt(String method, double threshold, double[][] testValues,
      double top10Recall) {
    return new Row(method, String.format(Locale.ROOT, "relevance ≥ %.4f", threshold),
        FilterMetrics.atThreshold(test, testValues, threshold),
        FilterMetrics.curve(test, testValues).precisionAtRecall(top10Recall),
        FilterMetrics.expectedCalibrationError(test, testValues));
  }

  /**
   * Off-topic queries at one threshold: the share of them that returns nothing, and the share of the
   * test queries' top-10 recall that survives the threshold.
   */
  public record OffTopicPoint(String method, String threshold, double emptyShare,
      double top10RecallKept) {}

  /**
   * Another data set's queries against this index, for the adapter and the raw-score threshold,
   * each at its F1 threshold and at the highest threshold that keeps 90% of dev's top-10 recall.
   */
  public List<OffTopicPoint> offTopic(List<LabeledHits> foreign) {
    List<OffTopicPoint> points = new ArrayList<>();
    double[][] devRaw = Calibrator.rawScores(dev);
    double[][] devRelevance = Calibrator.relevance(adapter, dev);
    double rawF1 = FilterMetrics.curve(dev, devRaw).bestF1Threshold();
    points.add(offTopicAt("raw-score threshold", "F1 on dev", rawF1, Calibrator.rawScores(test),
        Calibrator.rawScores(foreign), foreign));
    points.add(offTopicAt("raw-score threshold", "90% of top-10 recall on dev",
        keepingTop10Recall(dev, devRaw, 0.9), Calibrator.rawScores(test),
        Calibrator.rawScores(foreign), foreign));
    points.add(offTopicAt("Cosine Adapter", "default (F1 on dev)", adapter.threshold(),
        Calibrator.relevance(adapter, test), Calibrator.relevance(adapter, foreign), foreign));
    points.add(offTopicAt("Cosine Adapter", "90% of top-10 recall on dev",
        keepingTop10Recall(dev, devRelevance, 0.9), Calibrator.relevance(adapter, test),
        Calibrator.relevance(adapter, foreign), foreign));
    return points;
  }

  private OffTopicPoint offTopicAt(String method, String how, double threshold,
      double[][] testValues, double[][] foreignValues, List<LabeledHits> foreign) {
    double empty = FilterMetrics.atThreshold(foreign, foreignValues, threshold).emptyShare();
    double kept = top10Recall(test, testValues, threshold) / FilterMetrics.topK(test, 10).recall();
    return new OffTopicPoint(method, String.format(Locale.ROOT, "%s: %.4f", how, threshold), empty,
        kept);
  }

  /** The highest threshold at which the top 10 keep {@code share} of their unfiltered recall. */
  static double keepingTop10Recall(List<LabeledHits> queries, double[][] values, double share) {
    double full = FilterMetrics.topK(queries, 10).recall();
    double[] candidates = FilterMetrics.curve(queries, values).thresholds(); // highest first
    for (double threshold : candidates) {
      if (top10Recall(queries, values, threshold) >= share * full) {
        return threshold;
      }
    }
    return candidates[candidates.length - 1];
  }

  private static double top10Recall(List<LabeledHits> queries, double[][] values,
      double threshold) {
    double[][] gated = new double[values.length][];
    for (int q = 0; q < values.length; q++) {
      gated[q] = values[q].clone();
      for (int j = 10; j < gated[q].length; j++) {
        gated[q][j] = Double.NEGATIVE_INFINITY; // past the top 10
      }
    }
    return FilterMetrics.atThreshold(queries, gated, threshold).recall();
  }

  /** Precision–recall curves of the threshold methods and the top-k points, as a PNG. */
  public void plot(Path file, String title) throws IOException {
    new PrecisionRecallChart(test, adapter, platt).write(file, title);
  }

  /** The rows and off-topic figures as markdown tables. */
  public static String markdown(List<Row> rows, List<OffTopicPoint> offTopic,
      String offTopicName) {
    return FilterComparisonMarkdown.render(rows, offTopic, offTopicName);
  }
}
