package dev.whetstone.calibrate;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.QueryScoreMap;
import dev.whetstone.calibration.ScoreMap;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Fits a Cosine Adapter of each {@link ScoreMap} form on the train hits, keeps the form of lowest
 * dev loss, and sets its default threshold to the one of best F1 on dev.
 */
public final class Calibrator {
  private final long seed;
  private final PrintStream out;

  public Calibrator(long seed, PrintStream out) {
    this.seed = seed;
    this.out = out;
  }

  /** One fitted form and its dev loss. */
  public record Fitted(ScoreMap map, CosineAdapter adapter, double devLoss) {}

  /** Every form fitted, the chosen one last chosen by dev loss, its threshold chosen on dev. */
  public record Choice(List<Fitted> forms, CosineAdapter chosen) {}

  public Choice fit(List<LabeledHits> train, List<LabeledHits> dev, String queryFingerprint,
      String documentFingerprint) {
    List<Fitted> forms = new ArrayList<>();
    Fitted best = null;
    for (ScoreMap map : ScoreMap.values()) {
      AdapterFitter fitter = AdapterFitter.defaults(map, seed);
      CosineAdapter adapter = fitter.fit(train, dev, false, queryFingerprint, documentFingerprint);
      double devLoss = logLoss(dev, relevance(adapter, dev));
      out.printf(Locale.ROOT, "Calibration: %-6s map, dev log loss %.4f%n", map.label(), devLoss);
      Fitted fitted = new Fitted(map, adapter, devLoss);
      forms.add(fitted);
      if (best == null || devLoss < best.devLoss()) {
        best = fitted;
      }
    }
    double threshold = FilterMetrics.curve(dev, relevance(best.adapter(), dev)).bestF1Threshold();
    threshold = Math.min(Math.max(threshold, 1e-6), 1 - 1e-6);
    return new Choice(forms, best.adapter().withThreshold(threshold));
  }

  /** Global Platt scaling: one linear map for every query, fitted like the adapter. */
  public CosineAdapter platt(List<LabeledHits> train, List<LabeledHits> dev, String queryFingerprint,
      String documentFingerprint) {
    return AdapterFitter.defaults(ScoreMap.LINEAR, seed).fit(train, dev, true, queryFingerprint,
        documentFingerprint);
  }

  /** Each hit's calibrated relevance, as Solr computes it. */
  public static double[][] relevance(CosineAdapter adapter, List<LabeledHits> queries) {
    double[][] values = new double[queries.size()][];
    for (int q = 0; q < values.length; q++) {
      LabeledHits query = queries.get(q);
      QueryScoreMap map = adapter.forQuery(query.queryVector());
      values[q] = new double[query.size()];
      for (int j = 0; j < query.size(); j++) {
        values[q][j] = map.relevance(query.scores()[j]);
      }
    }
    return values;
  }

  /** Each hit's raw Lucene score. */
  public static double[][] rawScores(List<LabeledHits> queries) {
    double[][] values = new double[queries.size()][];
    for (int q = 0; q < values.length; q++) {
      float[] scores = queries.get(q).scores();
      values[q] = new double[scores.length];
      for (int j = 0; j < scores.length; j++) {
        values[q][j] = scores[j];
      }
    }
    return values;
  }

  /** Mean binary cross-entropy of predicted relevance against the labels. */
  public static double logLoss(List<LabeledHits> queries, double[][] relevance) {
    double total = 0;
    long pairs = 0;
    for (int q = 0; q < queries.size(); q++) {
      for (int j = 0; j < queries.get(q).size(); j++) {
        double p = Math.min(Math.max(relevance[q][j], 1e-12), 1 - 1e-12);
        total -= queries.get(q).relevant()[j] ? Math.log(p) : Math.log(1 - p);
        pairs++;
      }
    }
    return total / pairs;
  }
}
