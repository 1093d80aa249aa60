package dev.whetstone.search;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.search.LinearFusion.Normalization;
import org.apache.lucene.search.ScoreDoc;
import org.junit.Test;

public class FusionTest {
  private static final double EPS = 1e-9;

  @Test
  public void rrfContributionIsOneOverKPlusRank() {
    double[] c = new ReciprocalRankFusion(60).contributions(new float[] {9f, 3f, 0.5f});
    assertArrayEquals(new double[] {1.0 / 61, 1.0 / 62, 1.0 / 63}, c, EPS);
    assertArrayEquals(new double[] {1.0, 0.5}, new ReciprocalRankFusion(0).contributions(new float[] {2f, 1f}), EPS);
  }

  @Test
  public void rrfGivesTiedCandidatesTheBestRankOfTheirGroup() {
    double[] c = new ReciprocalRankFusion(60).contributions(new float[] {9f, 3f, 3f, 3f, 0.5f});
    assertArrayEquals(new double[] {1.0 / 61, 1.0 / 62, 1.0 / 62, 1.0 / 62, 1.0 / 65}, c, EPS);
  }

  @Test
  public void rrfRejectsNegativeK() {
    assertThrows(IllegalArgumentException.class, () -> new ReciprocalRankFusion(-1));
  }

  @Test
  public void minMaxMapsBestToOneAndLastToZero() {
    double[] c = new LinearFusion(Normalization.MINMAX).contributions(new float[] {4f, 2f, 1f});
    assertArrayEquals(new double[] {1.0, 1.0 / 3, 0.0}, c, EPS);
  }

  @Test
  public void zScoreIsShiftedByTheLowestCandidate() {
    // mean 7/3, population variance ((5/3)^2 + (1/3)^2 + (4/3)^2) / 3 = 42/27
    double sd = Math.sqrt(42.0 / 27);
    double[] c = new LinearFusion(Normalization.ZSCORE).contributions(new float[] {4f, 2f, 1f});
    assertArrayEquals(new double[] {3 / sd, 1 / sd, 0.0}, c, EPS);
  }

  @Test
  public void noSpreadGivesOneInsteadOfNaN() {
    for (Normalization n : Normalization.values()) {
      LinearFusion fusion = new LinearFusion(n);
      assertArrayEquals(n.name(), new double[] {1.0}, fusion.contributions(new float[] {0.7f}), EPS);
      assertArrayEquals(n.name(), new double[] {1.0, 1.0}, fusion.contributions(new float[] {2f, 2f}), EPS);
      assertEquals(0, fusion.contributions(new float[0]).length);
    }
  }

  @Test
  public void fuseAddsWeightedContributionsAndOrdersByDoc() {
    ScoreDoc[] lexical = {new ScoreDoc(5, 4f), new ScoreDoc(2, 2f), new ScoreDoc(9, 1f)};
    ScoreDoc[] dense = {new ScoreDoc(2, 0.9f), new ScoreDoc(7, 0.8f)};
    FusedHits rrf = FusedHits.fuse(new ReciprocalRankFusion(60), lexical, 1, dense, 1);
    assertArrayEquals(new int[] {2, 5, 7, 9}, rrf.docs);
    assertEquals(1.0 / 62 + 1.0 / 61, rrf.score(2), 1e-7);
    assertEquals(1.0 / 61, rrf.score(5), 1e-7);
    assertEquals(1.0 / 62, rrf.score(7), 1e-7);
    assertEquals(1.0 / 63, rrf.score(9), 1e-7);
    assertTrue(Float.isNaN(rrf.score(3)));

    // minmax: lexical 5 -> 1, 2 -> 1/3, 9 -> 0; dense 2 -> 1, 7 -> 0
    FusedHits linear = FusedHits.fuse(new LinearFusion(Normalization.MINMAX), lexical, 2, dense, 0.5);
    assertEquals(2 * (1.0 / 3) + 0.5 * 1, linear.score(2), 1e-6);
    assertEquals(2 * 1.0, linear.score(5), 1e-6);
    assertEquals(0.0, linear.score(7), 1e-6);
    assertEquals(0.0, linear.score(9), 1e-6);
  }

  @Test
  public void relevanceNormalizationTakesTheDenseScoresAsTheyAreAndMinMaxesTheLexicalOnes() {
    ScoreDoc[] lexical = {new ScoreDoc(5, 4f), new ScoreDoc(2, 2f), new ScoreDoc(9, 1f)};
    ScoreDoc[] dense = {new ScoreDoc(2, 0.9f), new ScoreDoc(7, 0.6f)}; // calibrated relevance
    FusedHits hits = FusedHits.fuse(new LinearFusion(Normalization.RELEVANCE), lexical, 1, dense, 2);
    assertEquals(1.0 / 3 + 2 * 0.9, hits.score(2), 1e-6);
    assertEquals(1.0, hits.score(5), 1e-6);
    assertEquals(2 * 0.6, hits.score(7), 1e-6); // the last dense candidate keeps its relevance
    assertEquals(0.0, hits.score(9), 1e-6);
    assertEquals("linear(relevance)", new LinearFusion(Normalization.RELEVANCE).toString());
  }

  @Test
  public void explanationShowsBothSides() {
    ScoreDoc[] lexical = {new ScoreDoc(5, 4f), new ScoreDoc(2, 2f)};
    ScoreDoc[] dense = {new ScoreDoc(2, 0.9f)};
    FusedHits hits = FusedHits.fuse(new ReciprocalRankFusion(60), lexical, 1, dense, 1);
    String both = hits.explain(0).toString(); // doc 2
    assertTrue(both, both.contains("lexical: rank 2, raw score 2.0"));
    assertTrue(both, both.contains("dense: rank 1, raw score 0.9"));
    String lexicalOnly = hits.explain(1).toString(); // doc 5
    assertTrue(lexicalOnly, lexicalOnly.contains("dense: not among its candidates"));
    assertEquals(hits.score(2), hits.explain(0).getValue().floatValue(), 0f);
  }
}
