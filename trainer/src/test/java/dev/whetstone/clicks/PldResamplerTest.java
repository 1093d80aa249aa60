package dev.whetstone.clicks;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.Arrays;
import org.junit.Test;

public class PldResamplerTest {
  private static final int QUERIES = 1000;

  @Test
  public void aHighLossPositiveIsDrawnFarLessOftenThanItsQuerysLowLossOnes() {
    double[][] losses = repeat(new double[] {0.1, 0.1, 0.1, 0.1, 5.0});
    int[] counts = counts(new PldResampler().resample(losses, 1), 5);
    double lowLossMean = (counts[0] + counts[1] + counts[2] + counts[3]) / 4.0;
    // softmax weight e^-4.9 ≈ 0.007 against 1: drawn only when the pool holds nothing else
    assertTrue(Arrays.toString(counts), counts[4] < 0.05 * lowLossMean);
  }

  @Test
  public void aQueryWhosePositivesAreAllHardIsStillSampledEvenly() {
    double[][] losses = repeat(new double[] {5, 5, 5});
    int[] counts = counts(new PldResampler().resample(losses, 2), 3);
    for (int count : counts) {
      assertEquals(1.0 / 3, count / (3.0 * QUERIES), 0.03);
    }
  }

  @Test
  public void oneDrawPerPositiveAndDeterministicGivenTheSeed() {
    double[][] losses = {{0.3, 1.2, 0.7}, {}, {2.0}};
    PldResampler resampler = new PldResampler(3, 0.5);
    int[][] drawn = resampler.resample(losses, 9);
    assertEquals(3, drawn[0].length);
    assertEquals(0, drawn[1].length);
    assertArrayEquals(new int[] {0}, drawn[2]);
    for (int q = 0; q < drawn.length; q++) {
      assertArrayEquals(drawn[q], resampler.resample(losses, 9)[q]);
    }
    double[][] many = repeat(new double[] {0.3, 1.2, 0.7});
    assertFalse(Arrays.deepEquals(resampler.resample(many, 9), resampler.resample(many, 10)));
  }

  private static double[][] repeat(double[] row) {
    double[][] rows = new double[QUERIES][];
    Arrays.setAll(rows, q -> row.clone());
    return rows;
  }

  private static int[] counts(int[][] drawn, int positives) {
    int[] counts = new int[positives];
    for (int[] query : drawn) {
      for (int index : query) {
        counts[index]++;
      }
    }
    return counts;
  }
}
