package dev.whetstone.eval;

import dev.whetstone.data.Qrels;
import java.util.List;
import java.util.Map;
import org.apache.commons.math3.distribution.TDistribution;

/**
 * Whether a candidate run beats the current one on the same judged queries by more than chance: a
 * one-sided paired t-test on per-query nDCG@10, the test IR evaluation relies on (Smucker, Allan
 * and Carterette, CIKM 2007). On a dev split of a few dozen queries a gain of 0.01 is noise, and a
 * model selected on dev is the luckiest of its checkpoints there.
 *
 * @param meanDifference mean per-query nDCG@10 of the candidate minus the current run's
 * @param pValue one-sided: the chance of a mean difference this large if neither run is better
 */
public record PairedComparison(double meanDifference, double t, double pValue, int queries) {

  public static PairedComparison ndcg10(Qrels qrels, Map<String, List<String>> candidate,
      Map<String, List<String>> current) {
    int n = qrels.queryIds().size();
    double[] differences = new double[n];
    int i = 0;
    for (String query : qrels.queryIds()) {
      Map<String, Integer> judgments = qrels.judgments(query);
      differences[i++] = RankingMetrics.ndcg(candidate.getOrDefault(query, List.of()), judgments, 10)
          - RankingMetrics.ndcg(current.getOrDefault(query, List.of()), judgments, 10);
    }
    double mean = 0;
    for (double d : differences) {
      mean += d;
    }
    mean = n == 0 ? 0 : mean / n;
    double squares = 0;
    for (double d : differences) {
      squares += (d - mean) * (d - mean);
    }
    double standardError = n < 2 ? 0 : Math.sqrt(squares / (n - 1) / n);
    if (standardError == 0) { // every query moved by the same amount (or there is one query)
      return new PairedComparison(mean, mean > 0 ? Double.POSITIVE_INFINITY : 0, mean > 0 && n > 1
          ? 0 : 1, n);
    }
    double t = mean / standardError;
    return new PairedComparison(mean, t, 1 - new TDistribution(n - 1).cumulativeProbability(t), n);
  }

  /** Whether the candidate is better with at least this one-sided confidence (0: any gain). */
  public boolean better(double confidence) {
    return meanDifference > 0 && pValue <= 1 - confidence;
  }
}
