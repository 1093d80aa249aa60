package dev.whetstone.calibrate;

import static ai.djl.ndarray.types.DataType.FLOAT64;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import dev.whetstone.calibrate.AdapterNetwork.Batch;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.ScoreMap;
import dev.whetstone.nn.SentenceEncoder;
import dev.whetstone.optim.AdamW;
import java.util.List;
import java.util.Random;

/**
 * Fits a {@link CosineAdapter} by binary cross-entropy on labeled hits: full-batch {@link AdamW}
 * (the encoder's optimizer, here with ε 1e-8) on gradients from DJL's autograd, in double
 * precision, the weights of the lowest dev loss kept (early stopping). The forward pass is {@link
 * AdapterNetwork}'s, checked against {@link CosineAdapter#forQuery}, the one Solr runs.
 *
 * <p>With {@code global} the hidden layer is left out (its output weights stay 0): one map for
 * every query, i.e. Platt scaling for the linear form. The full fit starts from that solution.
 */
public final class AdapterFitter {
  /** Hidden units of the adapter's network. */
  public static final int DEFAULT_HIDDEN = 32;

  private final ScoreMap map;
  private final int hidden;
  private final int iterations;
  private final double learningRate;
  private final double weightDecay;
  private final long seed;

  public AdapterFitter(ScoreMap map, int hidden, int iterations, double learningRate,
      double weightDecay, long seed) {
    if (hidden <= 0 || iterations <= 0 || !(learningRate > 0) || !(weightDecay >= 0)) {
      throw new IllegalArgumentException("hidden, iterations and learning rate must be > 0, "
          + "weight decay >= 0");
    }
    this.map = map;
    this.hidden = hidden;
    this.iterations = iterations;
    this.learningRate = learningRate;
    this.weightDecay = weightDecay;
    this.seed = seed;
  }

  public static AdapterFitter defaults(ScoreMap map, long seed) {
    return new AdapterFitter(map, DEFAULT_HIDDEN, 400, 3e-3, 1e-2, seed);
  }

  /** Steps and rate of the global fit: few weights, but a slope that may need to reach ~50. */
  private static final int GLOBAL_ITERATIONS = 1500;
  private static final double GLOBAL_LEARNING_RATE = 0.05;

  /**
   * The adapter of lowest dev loss; the threshold is a placeholder (0.5) until one is chosen.
   *
   * @param global one map for all queries (no query dependence)
   */
  public CosineAdapter fit(List<LabeledHits> train, List<LabeledHits> dev, boolean global,
      String queryFingerprint, String documentFingerprint) {
    if (train.isEmpty() || dev.isEmpty()) {
      throw new IllegalArgumentException("calibration needs train and dev hits");
    }
    int dim = train.get(0).queryVector().length;
    int outputs = map.parameters();
    Random random = new Random(seed);
    double scale = Math.sqrt(2.0 / dim);
    double[] w1 = new double[hidden * dim];
    for (int i = 0; i < w1.length; i++) {
      w1[i] = random.nextGaussian() * scale;
    }
    double[] b2 = new double[outputs];
    b2[0] = inverseSoftplus(4); // relevance rises across the score range
    b2[1] = -4; // about the logit of the share of relevant hits in a top 100
    if (map == ScoreMap.POWER) {
      b2[2] = inverseSoftplus(1);
    }
    try (NDManager manager = NDManager.newBaseManager(SentenceEncoder.ENGINE)) {
      AdapterNetwork start = new AdapterNetwork(map, meanScore(train),
          manager.create(w1, new Shape(hidden, dim)), manager.zeros(new Shape(hidden), FLOAT64),
          manager.zeros(new Shape(outputs, hidden), FLOAT64), manager.create(b2));
      Batch trainBatch = Batch.of(manager, train);
      Batch devBatch = Batch.of(manager, dev);
      AdapterNetwork fitted = descend(manager, start, trainBatch, devBatch, true);
      if (!global) {
        random = new Random(seed + 1);
        double[] w2 = new double[outputs * hidden];
        for (int i = 0; i < w2.length; i++) {
          w2[i] = random.nextGaussian() * 1e-3; // a nudge off zero so the hidden layer learns
        }
        fitted = fitted.with("w2", manager.create(w2, new Shape(outputs, hidden)));
        fitted = descend(manager, fitted, trainBatch, devBatch, false);
      }
      return fitted.toAdapter(queryFingerprint, documentFingerprint);
    }
  }

  /** {@code global}: only {@code b2} learns, the hidden layer is left out. */
  private AdapterNetwork descend(NDManager manager, AdapterNetwork start, Batch train, Batch dev,
      boolean global) {
    AdapterNetwork network = start.copy();
    for (String name : global ? List.of("b2") : AdapterNetwork.NAMES) {
      network.array(name).setRequiresGradient(true);
    }
    AdapterNetwork best = network.copy();
    double bestDev = loss(manager, network, dev, global, false);
    AdamW optimizer = new AdamW(manager, 0.9f, 0.999f, 1e-8f, global ? 0 : (float) weightDecay);
    int steps = global ? GLOBAL_ITERATIONS : iterations;
    float rate = (float) (global ? GLOBAL_LEARNING_RATE : learningRate);
    for (int step = 1; step <= steps; step++) {
      loss(manager, network, train, global, true);
      optimizer.step(network.parameters(), rate);
      if (step % 10 == 0 || step == steps) {
        double devLoss = loss(manager, network, dev, global, false);
        if (devLoss < bestDev) {
          bestDev = devLoss;
          best.close();
          best = network.copy();
        }
      }
    }
    network.close();
    return best;
  }

  /** The loss of a batch; with {@code backward}, its gradients are left on the parameters. */
  private static double loss(NDManager manager, AdapterNetwork network, Batch batch,
      boolean global, boolean backward) {
    // Intermediates land in the scratch manager and die with it; the arrays go back home.
    try (NDManager scratch = manager.newSubManager()) {
      scratch.tempAttachAll(network.arrays(), batch.arrays());
      try (GradientCollector collector = backward ? manager.getEngine().newGradientCollector()
          : null) {
        NDArray loss = network.loss(batch, global);
        if (collector != null) {
          collector.backward(loss);
        }
        return loss.getDouble();
      }
    }
  }

  private static double meanScore(List<LabeledHits> queries) {
    double sum = 0;
    long n = 0;
    for (LabeledHits query : queries) {
      for (float score : query.scores()) {
        sum += score;
        n++;
      }
    }
    return n == 0 ? 0 : sum / n;
  }

  static double inverseSoftplus(double y) {
    return Math.log(Math.expm1(y));
  }
}
