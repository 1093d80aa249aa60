package dev.whetstone.calibrate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import dev.whetstone.data.Qrels;
import dev.whetstone.filter.EmbeddingScorer;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.filter.PositiveAwareMarginFilter;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.QueryVectors;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class HitCollectorTest {
  // unit vectors at falling angles from the query (1, 0): dot products 1.0, 0.99, 0.9, 0.6, 0.2
  private static float[] at(double dot) {
    return new float[] {(float) dot, (float) Math.sqrt(1 - dot * dot)};
  }

  private final DenseIndex index = new DenseIndex(List.of("pos", "close", "judged0", "far", "farther"),
      new float[][] {at(1.0), at(0.99), at(0.9), at(0.6), at(0.2)});
  private final Qrels qrels = new Qrels(Map.of("q", Map.of("pos", 1, "judged0", 0)));
  private final Map<String, float[]> vectors = Map.of("q", new float[] {1, 0});
  private final Map<String, String> texts = Map.of("q", "the query");

  @Test
  public void measuringLabelsEveryUnjudgedHitIrrelevant() {
    List<LabeledHits> hits = new HitCollector(index, 5).collect(qrels, vectors, texts, null);
    assertEquals(1, hits.size());
    LabeledHits q = hits.get(0);
    assertArrayEquals(new boolean[] {true, false, false, false, false}, q.relevant());
    assertEquals(1, q.relevantTotal());
    assertEquals(LabeledHits.luceneScore(0.9f), q.scores()[2], 1e-6f);
  }

  @Test
  public void fittingLeavesOutUnjudgedHitsTheMarginRuleSuspects() {
    QueryVectors queryVectors = new QueryVectors(t -> {
      throw new AssertionError("embedded up front");
    });
    queryVectors.put(List.of("the query"), new float[][] {{1, 0}});
    FilterChain rules = new FilterChain(List.of(new PositiveAwareMarginFilter(
        new EmbeddingScorer("m", index, queryVectors), 0.05f)), null, null);
    LabeledHits q = new HitCollector(index, 5).collect(qrels, vectors, texts, rules).get(0);
    // "close" (0.99 > 0.95 x 1.0) may be an unlabeled positive: out; judged 0 stays a negative
    assertEquals(4, q.size());
    assertArrayEquals(new boolean[] {true, false, false, false}, q.relevant());
    assertEquals(LabeledHits.luceneScore(0.9f), q.scores()[1], 1e-6f);
  }
}
