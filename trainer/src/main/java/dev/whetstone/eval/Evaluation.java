package dev.whetstone.eval;

import dev.whetstone.data.Qrels;
import java.util.List;
import java.util.Map;

/**
 * Mean nDCG@10, MRR@10 and Recall@100 of a run over the queries that have judgments. A judged query
 * missing from the run counts as 0 (as {@code trec_eval -c}), so a run cannot look better by
 * skipping hard queries.
 *
 * @param queries number of judged queries averaged over
 */
public record Evaluation(double ndcg10, double mrr10, double recall100, int queries) {

  /**
   * Evaluates a run: query id → document ids, best first.
   */
  public static Evaluation of(Qrels qrels, Map<String, List<String>> run) {
    double ndcg = 0;
    double mrr = 0;
    double recall = 0;
    int n = 0;
    for (String query : qrels.queryIds()) {
      Map<String, Integer> judgments = qrels.judgments(query);
      List<String> ranking = run.getOrDefault(query, List.of());
      ndcg += RankingMetrics.ndcg(ranking, judgments, 10);
      mrr += RankingMetrics.reciprocalRank(ranking, judgments, 10);
      recall += RankingMetrics.recall(ranking, judgments, 100);
      n++;
    }
    return n == 0 ? new Evaluation(0, 0, 0, 0) : new Evaluation(ndcg / n, mrr / n, recall / n, n);
  }
}
