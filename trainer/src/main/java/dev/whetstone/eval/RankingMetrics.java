package dev.whetstone.eval;

import java.util.List;
import java.util.Map;

/**
 * Per-query ranking metrics as pytrec_eval (trec_eval) and BEIR compute them: the gain of a
 * document is its judged relevance (unjudged and non-positive count as 0), discounted by
 * log2(rank + 1); a document is relevant when its judgment is positive.
 */
public final class RankingMetrics {
  private RankingMetrics() {}

  /** nDCG@k: DCG of the top k over the DCG of the best possible top k of the judged documents. */
  public static double ndcg(List<String> ranking, Map<String, Integer> judgments, int k) {
    double dcg = 0;
    int depth = Math.min(k, ranking.size());
    for (int i = 0; i < depth; i++) {
      dcg += gain(judgments.get(ranking.get(i))) / log2(i + 2);
    }
    int[] ideal = judgments.values().stream().mapToInt(RankingMetrics::gain)
        .filter(g -> g > 0).sorted().toArray();
    double idcg = 0;
    for (int i = 0; i < Math.min(k, ideal.length); i++) {
      idcg += ideal[ideal.length - 1 - i] / log2(i + 2);
    }
    return idcg == 0 ? 0 : dcg / idcg;
  }

  /** MRR@k's term: 1 / rank of the first relevant document in the top k, else 0. */
  public static double reciprocalRank(List<String> ranking, Map<String, Integer> judgments, int k) {
    int depth = Math.min(k, ranking.size());
    for (int i = 0; i < depth; i++) {
      if (gain(judgments.get(ranking.get(i))) > 0) {
        return 1.0 / (i + 1);
      }
    }
    return 0;
  }

  /** Recall@k: relevant documents in the top k over all relevant documents (0 when none). */
  public static double recall(List<String> ranking, Map<String, Integer> judgments, int k) {
    long relevant = judgments.values().stream().filter(r -> r != null && r > 0).count();
    if (relevant == 0) {
      return 0;
    }
    int depth = Math.min(k, ranking.size());
    int found = 0;
    for (int i = 0; i < depth; i++) {
      if (gain(judgments.get(ranking.get(i))) > 0) {
        found++;
      }
    }
    return (double) found / relevant;
  }

  private static int gain(Integer relevance) {
    return relevance == null || relevance < 0 ? 0 : relevance;
  }

  private static double log2(int x) {
    return Math.log(x) / Math.log(2);
  }
}
