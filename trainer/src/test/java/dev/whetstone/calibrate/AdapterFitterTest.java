package dev.whetstone.calibrate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.ScoreMap;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.Test;

public class AdapterFitterTest {

  /** Two kinds of query: for the first, hits above 0.6 are relevant; for the second, above 0.8. */
  static List<LabeledHits> twoKinds(int queries, long seed) {
    Random random = new Random(seed);
    List<LabeledHits> all = new ArrayList<>();
    for (int q = 0; q < queries; q++) {
      boolean strict = q % 2 == 1;
      float[] vector = {strict ? 1 : 0, strict ? 0 : 1, (float) random.nextGaussian() * 0.1f};
      float[] scores = new float[20];
      boolean[] relevant = new boolean[20];
      int total = 0;
      for (int j = 0; j < scores.length; j++) {
        scores[j] = 0.5f + 0.45f * random.nextFloat();
        boolean above = scores[j] > (strict ? 0.8f : 0.6f);
        relevant[j] = random.nextDouble() < (above ? 0.9 : 0.05);
        total += relevant[j] ? 1 : 0;
      }
      all.add(new LabeledHits("q" + q, vector, scores, relevant, total));
    }
    return all;
  }

  @Test
  public void analyticGradientsMatchFiniteDifferences() {
    List<LabeledHits> hits = twoKinds(6, 1);
    for (ScoreMap map : ScoreMap.values()) {
      AdapterFitter fitter = new AdapterFitter(map, 4, 1, 1e-3, 0, 3);
      AdapterFitter.Weights w = new AdapterFitter.Weights(4, 3, map.parameters(), 0.7);
      Random random = new Random(map.ordinal());
      for (double[] row : w.w1) {
        for (int d = 0; d < row.length; d++) {
          row[d] = random.nextGaussian();
        }
      }
      for (double[] row : w.w2) {
        for (int h = 0; h < row.length; h++) {
          row[h] = random.nextGaussian();
        }
      }
      for (int o = 0; o < w.b2.length; o++) {
        w.b2[o] = random.nextGaussian();
      }
      AdapterFitter.Weights gradient = w.zeros();
      fitter.loss(w, hits, gradient, false);
      double eps = 1e-6;
      for (double[][] pair : new double[][][] {{w.w1[1], gradient.w1[1]}, {w.b1, gradient.b1},
          {w.w2[0], gradient.w2[0]}, {w.b2, gradient.b2}}) {
        double[] weights = pair[0];
        for (int i = 0; i < weights.length; i++) {
          double saved = weights[i];
          weights[i] = saved + eps;
          double up = fitter.loss(w, hits, null, false);
          weights[i] = saved - eps;
          double down = fitter.loss(w, hits, null, false);
          weights[i] = saved;
          assertEquals(map + " weight " + i, (up - down) / (2 * eps), pair[1][i], 1e-6);
        }
      }
    }
  }

  @Test
  public void theAdapterLearnsWhatOneGlobalMapCannot() {
    List<LabeledHits> train = twoKinds(200, 2);
    List<LabeledHits> dev = twoKinds(60, 3);
    AdapterFitter fitter = AdapterFitter.defaults(ScoreMap.LINEAR, 4);
    CosineAdapter adapter = fitter.fit(train, dev, false, "q", "d");
    CosineAdapter platt = fitter.fit(train, dev, true, "q", "d");
    double adapterLoss = Calibrator.logLoss(dev, Calibrator.relevance(adapter, dev));
    double plattLoss = Calibrator.logLoss(dev, Calibrator.relevance(platt, dev));
    assertTrue(adapterLoss + " vs Platt " + plattLoss, adapterLoss < 0.8 * plattLoss);
    // the learned cut-offs sit near each kind's true boundary
    double lenient = adapter.forQuery(new float[] {0, 1, 0}).minScore(0.5);
    double strict = adapter.forQuery(new float[] {1, 0, 0}).minScore(0.5);
    assertEquals(0.6, lenient, 0.05);
    assertEquals(0.8, strict, 0.05);
    // one map for all queries: the same cut-off for both
    assertEquals(platt.forQuery(new float[] {0, 1, 0}).minScore(0.5),
        platt.forQuery(new float[] {1, 0, 0}).minScore(0.5), 1e-9);
  }
}
