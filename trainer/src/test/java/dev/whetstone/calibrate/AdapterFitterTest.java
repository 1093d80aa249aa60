package dev.whetstone.calibrate;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.QueryScoreMap;
import dev.whetstone.calibration.ScoreMap;
import dev.whetstone.nn.SentenceEncoder;
import java.util.ArrayList;
import java.util.Arrays;
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

  /** Queries of unequal length (padding), random network weights: w1, b1, w2, b2 row-major. */
  private static AdapterNetwork network(NDManager manager, ScoreMap map, double[][] values) {
    int outputs = map.parameters();
    return new AdapterNetwork(map, 0.7, manager.create(values[0], new Shape(4, 3)),
        manager.create(values[1]), manager.create(values[2], new Shape(outputs, 4)),
        manager.create(values[3]));
  }

  @Test
  public void theLossAndItsGradientsAreThoseOfCosineAdapterForQuery() {
    List<LabeledHits> hits = new ArrayList<>();
    for (LabeledHits query : twoKinds(6, 1)) {
      int size = 8 + hits.size() * 2;
      float[] scores = Arrays.copyOf(query.scores(), size);
      scores[size - 1] = 0; // clamped, and where s^p has no slope in p
      hits.add(new LabeledHits(query.queryId(), query.queryVector(), scores,
          Arrays.copyOf(query.relevant(), size), query.relevantTotal()));
    }
    for (ScoreMap map : ScoreMap.values()) {
      Random random = new Random(map.ordinal());
      int outputs = map.parameters();
      double[][] values = {new double[12], new double[4], new double[outputs * 4],
          new double[outputs]};
      for (double[] array : values) {
        for (int i = 0; i < array.length; i++) {
          array[i] = random.nextGaussian();
        }
      }
      try (NDManager manager = NDManager.newBaseManager(SentenceEncoder.ENGINE)) {
        AdapterNetwork.Batch batch = AdapterNetwork.Batch.of(manager, hits);
        AdapterNetwork network = network(manager, map, values);
        for (String name : AdapterNetwork.NAMES) {
          network.array(name).setRequiresGradient(true);
        }
        double loss;
        try (GradientCollector collector = manager.getEngine().newGradientCollector()) {
          NDArray value = network.loss(batch, false);
          collector.backward(value);
          loss = value.getDouble();
        }
        // the loss of the maps Solr applies
        CosineAdapter adapter = network.toAdapter("q", "d");
        double expected = 0;
        long pairs = 0;
        for (LabeledHits query : hits) {
          QueryScoreMap queryMap = adapter.forQuery(query.queryVector());
          for (int j = 0; j < query.size(); j++) {
            double z = queryMap.a() * map.apply(query.scores()[j], queryMap.p()) + queryMap.b();
            expected += CosineAdapter.softplus(z) - (query.relevant()[j] ? z : 0);
            pairs++;
          }
        }
        assertEquals(map.label(), expected / pairs, loss, 1e-6); // the adapter's floats
        // autograd against finite differences of the same loss
        double eps = 1e-6;
        for (int k = 0; k < values.length; k++) {
          double[] gradient = network.array(AdapterNetwork.NAMES.get(k)).getGradient()
              .toDoubleArray();
          for (int i = 0; i < values[k].length; i++) {
            double saved = values[k][i];
            values[k][i] = saved + eps;
            double up = network(manager, map, values).loss(batch, false).getDouble();
            values[k][i] = saved - eps;
            double down = network(manager, map, values).loss(batch, false).getDouble();
            values[k][i] = saved;
            assertEquals(map + " " + AdapterNetwork.NAMES.get(k) + "[" + i + "]",
                (up - down) / (2 * eps), gradient[i], 1e-6);
          }
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
