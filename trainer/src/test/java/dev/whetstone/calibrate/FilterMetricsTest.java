package dev.whetstone.calibrate;

import static org.junit.Assert.assertEquals;

import java.util.List;
import org.junit.Test;

public class FilterMetricsTest {
  // query a: 3 relevant documents, 2 retrieved (ranks 1 and 3); query b: 1 relevant, not retrieved
  private final List<LabeledHits> hits = List.of(
      new LabeledHits("a", new float[] {1}, new float[] {0.9f, 0.8f, 0.7f},
          new boolean[] {true, false, true}, 3),
      new LabeledHits("b", new float[] {1}, new float[] {0.85f, 0.6f},
          new boolean[] {false, false}, 1));
  private final double[][] values = {{0.9, 0.8, 0.7}, {0.85, 0.6}};

  @Test
  public void thresholdAndTopKCountTheReturnedSetAgainstEveryRelevantDocument() {
    FilterMetrics.Result result = FilterMetrics.atThreshold(hits, values, 0.75);
    // returned: a's 0.9 (relevant) and 0.8, b's 0.85
    assertEquals(1 / 3.0, result.precision(), 1e-12);
    assertEquals(1 / 4.0, result.recall(), 1e-12);
    assertEquals(1.5, result.returnedPerQuery(), 1e-12);
    assertEquals(0, result.emptyShare(), 0);
    assertEquals(0.5, FilterMetrics.atThreshold(hits, values, 0.86).emptyShare(), 0);
    FilterMetrics.Result top1 = FilterMetrics.topK(hits, 1);
    assertEquals(0.5, top1.precision(), 1e-12);
    assertEquals(0.25, top1.recall(), 1e-12);
  }

  @Test
  public void theCurveHasOnePointPerThresholdAndPicksTheBestF1() {
    FilterMetrics.Curve curve = FilterMetrics.curve(hits, values);
    assertEquals(5, curve.thresholds().length);
    // at 0.7 every hit of a and b's 0.85 are in: 2 relevant of 4 returned, recall 2/4
    assertEquals(0.5, curve.precision()[3], 1e-12);
    assertEquals(0.5, curve.recall()[3], 1e-12);
    assertEquals(0.7, curve.bestF1Threshold(), 1e-12);
    assertEquals(1.0, curve.precisionAtRecall(0.25), 1e-12);
    assertEquals(0.5, curve.precisionAtRecall(0.5), 1e-12);
  }

  @Test
  public void calibrationErrorIsTheHitWeightedGapPerBin() {
    // bin 0.9: one hit, relevant (gap 0.1); bin 0.8: a's 0.8 (not) and b's 0.85 (not): gap 0.825 each
    // bin 0.7: relevant (gap 0.3); bin 0.6: not relevant (gap 0.6)
    double expected = (0.1 + (0.8 + 0.85) + 0.3 + 0.6) / 5;
    assertEquals(expected, FilterMetrics.expectedCalibrationError(hits, values), 1e-12);
  }
}
