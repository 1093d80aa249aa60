package dev.whetstone.eval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.Qrels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class PairedComparisonTest {
  /** n queries, each with one relevant document "rel". */
  private static Qrels qrels(int n) {
    Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
    for (int q = 0; q < n; q++) {
      judgments.put("q" + q, Map.of("rel", 1));
    }
    return new Qrels(judgments);
  }

  /** A run that puts "rel" at rank 1 for the first {@code hits} queries and nowhere after. */
  private static Map<String, List<String>> run(int n, int hits) {
    Map<String, List<String>> run = new LinkedHashMap<>();
    for (int q = 0; q < n; q++) {
      run.put("q" + q, q < hits ? List.of("rel", "x") : List.of("x", "y"));
    }
    return run;
  }

  @Test
  public void aGainOnManyQueriesIsSignificantAndOneLuckyQueryIsNot() {
    Qrels qrels = qrels(40);
    PairedComparison clear = PairedComparison.ndcg10(qrels, run(40, 30), run(40, 10));
    assertEquals(0.5, clear.meanDifference(), 1e-12);
    assertTrue(clear.pValue() < 1e-6);
    assertTrue(clear.better(0.95));

    // one query of 40 gained: nDCG@10 +0.025, which a small dev set sees by chance
    PairedComparison lucky = PairedComparison.ndcg10(qrels, run(40, 11), run(40, 10));
    assertEquals(0.025, lucky.meanDifference(), 1e-12);
    assertTrue(lucky.pValue() > 0.1);
    assertFalse(lucky.better(0.95));
    assertTrue("confidence 0 promotes any gain", lucky.better(0));
  }

  @Test
  public void noGainIsNeverBetter() {
    Qrels qrels = qrels(10);
    PairedComparison same = PairedComparison.ndcg10(qrels, run(10, 5), run(10, 5));
    assertEquals(0, same.meanDifference(), 0);
    assertFalse(same.better(0));
    PairedComparison worse = PairedComparison.ndcg10(qrels, run(10, 2), run(10, 5));
    assertTrue(worse.pValue() > 0.9);
    assertFalse(worse.better(0));
  }
}
