package dev.whetstone.calibrate;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.ScoreMap;
import java.util.Arrays;
import java.util.List;
import java.util.Random;

/**
 * Fits a {@link CosineAdapter} by binary cross-entropy on labeled hits: full-batch Adam with
 * decoupled weight decay, the weights of the lowest dev loss kept (early stopping). The network is
 * small (dimension × hidden + hidden × 3 weights), so its gradients are written out here rather
 * than run through a tensor library, and the forward pass they belong to is checked against
 * {@link CosineAdapter#forQuery}, the one Solr runs.
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
    Weights weights = new Weights(hidden, dim, map.parameters(), meanScore(train));
    Random random = new Random(seed);
    double scale = Math.sqrt(2.0 / dim);
    for (double[] row : weights.w1) {
      for (int d = 0; d < dim; d++) {
        row[d] = random.nextGaussian() * scale;
      }
    }
    weights.b2[0] = inverseSoftplus(4); // relevance rises across the score range
    weights.b2[1] = -4; // about the logit of the share of relevant hits in a top 100
    if (map == ScoreMap.POWER) {
      weights.b2[2] = inverseSoftplus(1);
    }
    if (!global) {
      weights = descend(globalStart(train, dev, weights), train, dev, false);
    } else {
      weights = descend(weights, train, dev, true);
    }
    return weights.toAdapter(map, queryFingerprint, documentFingerprint);
  }

  private Weights globalStart(List<LabeledHits> train, List<LabeledHits> dev, Weights weights) {
    Weights start = descend(weights, train, dev, true);
    Random random = new Random(seed + 1);
    for (double[] row : start.w2) {
      for (int h = 0; h < hidden; h++) {
        row[h] = random.nextGaussian() * 1e-3; // a nudge off zero so the hidden layer learns
      }
    }
    return start;
  }

  private Weights descend(Weights start, List<LabeledHits> train, List<LabeledHits> dev,
      boolean global) {
    Weights weights = start.copy();
    Weights best = weights.copy();
    double bestDev = loss(weights, dev, null, global);
    Weights m = weights.zeros();
    Weights v = weights.zeros();
    int steps = global ? GLOBAL_ITERATIONS : iterations;
    for (int step = 1; step <= steps; step++) {
      Weights gradient = weights.zeros();
      loss(weights, train, gradient, global);
      weights.adam(gradient, m, v, step, global ? GLOBAL_LEARNING_RATE : learningRate,
          global ? 0 : weightDecay);
      if (step % 10 == 0 || step == steps) {
        double devLoss = loss(weights, dev, null, global);
        if (devLoss < bestDev) {
          bestDev = devLoss;
          best = weights.copy();
        }
      }
    }
    return best;
  }

  /**
   * Mean binary cross-entropy over every hit; adds its gradient when {@code gradient} is given.
   * {@code global}: the hidden layer is skipped and only the output biases get gradients.
   */
  double loss(Weights w, List<LabeledHits> queries, Weights gradient, boolean global) {
    double total = 0;
    long pairs = 0;
    for (LabeledHits query : queries) {
      pairs += query.size();
    }
    double[] pre = new double[w.b1.length];
    double[] act = new double[w.b1.length];
    double[] out = new double[w.b2.length];
    for (LabeledHits query : queries) {
      float[] q = query.queryVector();
      for (int h = 0; h < pre.length && !global; h++) {
        double sum = w.b1[h];
        double[] row = w.w1[h];
        for (int d = 0; d < q.length; d++) {
          sum += row[d] * q[d];
        }
        pre[h] = sum;
        act[h] = Math.max(0, sum);
      }
      for (int o = 0; o < out.length; o++) {
        double sum = w.b2[o];
        for (int h = 0; h < act.length; h++) {
          sum += w.w2[o][h] * act[h];
        }
        out[o] = sum;
      }
      double a = CosineAdapter.softplus(out[0]);
      double b = out[1];
      double p = map == ScoreMap.POWER ? CosineAdapter.softplus(out[2]) : 1;
      double da = 0;
      double db = 0;
      double dp = 0;
      for (int j = 0; j < query.size(); j++) {
        double s = query.scores()[j];
        double g = map.apply(s, p);
        double z = a * (g - w.center) + b;
        double y = query.relevant()[j] ? 1 : 0;
        total += CosineAdapter.softplus(z) - y * z;
        if (gradient != null) {
          double e = sigmoid(z) - y;
          da += e * (g - w.center);
          db += e;
          if (map == ScoreMap.POWER && s > 0) {
            dp += e * a * g * Math.log(s);
          }
        }
      }
      if (gradient == null) {
        continue;
      }
      double[] dOut = new double[out.length];
      dOut[0] = da * sigmoid(out[0]) / pairs;
      dOut[1] = db / pairs;
      if (map == ScoreMap.POWER) {
        dOut[2] = dp * sigmoid(out[2]) / pairs;
      }
      for (int o = 0; o < out.length; o++) {
        gradient.b2[o] += dOut[o];
      }
      if (global) {
        continue;
      }
      for (int o = 0; o < out.length; o++) {
        for (int h = 0; h < act.length; h++) {
          gradient.w2[o][h] += dOut[o] * act[h];
        }
      }
      for (int h = 0; h < act.length; h++) {
        if (pre[h] <= 0) {
          continue;
        }
        double dh = 0;
        for (int o = 0; o < out.length; o++) {
          dh += w.w2[o][h] * dOut[o];
        }
        if (dh == 0) {
          continue;
        }
        gradient.b1[h] += dh;
        double[] row = gradient.w1[h];
        for (int d = 0; d < q.length; d++) {
          row[d] += dh * q[d];
        }
      }
    }
    return total / pairs;
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

  static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  static double inverseSoftplus(double y) {
    return Math.log(Math.expm1(y));
  }

  /** The network's weights in double precision while fitting. */
  static final class Weights {
    final double[][] w1;
    final double[] b1;
    final double[][] w2;
    final double[] b2;
    /** Fixed while fitting: the mean train score, where the offset output is the logit. */
    final double center;

    Weights(int hidden, int dim, int outputs, double center) {
      w1 = new double[hidden][dim];
      b1 = new double[hidden];
      w2 = new double[outputs][hidden];
      b2 = new double[outputs];
      this.center = center;
    }

    Weights zeros() {
      return new Weights(b1.length, w1[0].length, b2.length, center);
    }

    Weights copy() {
      Weights copy = zeros();
      for (int h = 0; h < w1.length; h++) {
        System.arraycopy(w1[h], 0, copy.w1[h], 0, w1[h].length);
      }
      System.arraycopy(b1, 0, copy.b1, 0, b1.length);
      for (int o = 0; o < w2.length; o++) {
        System.arraycopy(w2[o], 0, copy.w2[o], 0, w2[o].length);
      }
      System.arraycopy(b2, 0, copy.b2, 0, b2.length);
      return copy;
    }

    /** One AdamW update; decay only on the weight matrices, as for the encoder's fine-tuning. */
    void adam(Weights g, Weights m, Weights v, int step, double lr, double decay) {
      double c1 = 1 - Math.pow(0.9, step);
      double c2 = 1 - Math.pow(0.999, step);
      for (int h = 0; h < w1.length; h++) {
        update(w1[h], g.w1[h], m.w1[h], v.w1[h], c1, c2, lr, decay);
      }
      update(b1, g.b1, m.b1, v.b1, c1, c2, lr, 0);
      for (int o = 0; o < w2.length; o++) {
        update(w2[o], g.w2[o], m.w2[o], v.w2[o], c1, c2, lr, decay);
      }
      update(b2, g.b2, m.b2, v.b2, c1, c2, lr, 0);
    }

    private static void update(double[] w, double[] g, double[] m, double[] v, double c1,
        double c2, double lr, double decay) {
      for (int i = 0; i < w.length; i++) {
        m[i] = 0.9 * m[i] + 0.1 * g[i];
        v[i] = 0.999 * v[i] + 0.001 * g[i] * g[i];
        w[i] -= lr * (decay * w[i] + (m[i] / c1) / (Math.sqrt(v[i] / c2) + 1e-8));
      }
    }

    CosineAdapter toAdapter(ScoreMap map, String queryFingerprint, String documentFingerprint) {
      return new CosineAdapter(queryFingerprint, documentFingerprint, map, 0.5, toFloat(w1),
          toFloat(b1), toFloat(w2), toFloat(b2), center);
    }

    private static float[][] toFloat(double[][] matrix) {
      float[][] result = new float[matrix.length][];
      for (int r = 0; r < matrix.length; r++) {
        result[r] = toFloat(matrix[r]);
      }
      return result;
    }

    private static float[] toFloat(double[] vector) {
      float[] result = new float[vector.length];
      for (int i = 0; i < vector.length; i++) {
        result[i] = (float) vector[i];
      }
      return result;
    }
  }
}
