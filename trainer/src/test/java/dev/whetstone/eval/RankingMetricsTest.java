package dev.whetstone.eval;

import static org.junit.Assert.assertEquals;

import dev.whetstone.data.Qrels;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Expected values are computed by hand: DCG = sum of gain / log2(rank + 1). */
public class RankingMetricsTest {
  private static final List<String> RANKING = List.of("a", "b", "c", "d");
  /** Graded: e is relevant but not retrieved; x is judged non-relevant. */
  private static final Map<String, Integer> GRADED = Map.of("b", 1, "d", 2, "e", 1, "x", 0);

  @Test
  public void gradedNdcg() {
    // DCG = 1/log2(3) + 2/log2(5) = 1.49228; ideal = 2 + 1/log2(3) + 1/log2(4) = 3.13093
    assertEquals(0.476626, RankingMetrics.ndcg(RANKING, GRADED, 10), 1e-6);
  }

  @Test
  public void binaryNdcgAndCutoff() {
    Map<String, Integer> binary = Map.of("b", 1);
    assertEquals(1 / log2(3), RankingMetrics.ndcg(RANKING, binary, 10), 1e-9);
    assertEquals(0, RankingMetrics.ndcg(RANKING, binary, 1), 1e-9);
    assertEquals(1, RankingMetrics.ndcg(List.of("b", "a"), binary, 10), 1e-9);
  }

  @Test
  public void reciprocalRankIsOneOverTheFirstRelevantRankWithinK() {
    assertEquals(0.5, RankingMetrics.reciprocalRank(RANKING, GRADED, 10), 1e-9);
    assertEquals(0, RankingMetrics.reciprocalRank(RANKING, GRADED, 1), 1e-9);
    assertEquals(0, RankingMetrics.reciprocalRank(RANKING, Map.of("x", 0), 10), 1e-9);
  }

  @Test
  public void recallCountsOnlyPositiveJudgments() {
    assertEquals(2.0 / 3, RankingMetrics.recall(RANKING, GRADED, 100), 1e-9);
    assertEquals(1.0 / 3, RankingMetrics.recall(RANKING, GRADED, 2), 1e-9);
    assertEquals(0, RankingMetrics.recall(RANKING, Map.of("x", 0), 100), 1e-9);
  }

  @Test
  public void evaluationAveragesOverJudgedQueriesAndCountsMissingRunsAsZero() {
    Qrels qrels = new Qrels(Map.of("q1", Map.of("b", 1), "q2", Map.of("z", 1)));
    Map<String, List<String>> run = Map.of("q1", List.of("b"), "unjudged", List.of("z"));
    Evaluation evaluation = Evaluation.of(qrels, run);
    assertEquals(2, evaluation.queries());
    assertEquals(0.5, evaluation.ndcg10(), 1e-9);
    assertEquals(0.5, evaluation.mrr10(), 1e-9);
    assertEquals(0.5, evaluation.recall100(), 1e-9);
  }

  private static double log2(double x) {
    return Math.log(x) / Math.log(2);
  }
}
