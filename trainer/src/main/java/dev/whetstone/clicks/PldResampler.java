package dev.whetstone.clicks;

import java.util.SplittableRandom;

/**
 * Picks which clicked positives of each query to train on, favouring those the model finds easy
 * relative to that query's other positives: PLD, the personalized loss distribution resampling of
 * Zhang et al. 2025, "Personalized Denoising Implicit Feedback for Robust Recommender Systems"
 * (WWW), with users read as queries and interactions as clicks.
 *
 * <p>Noisy clicks (a misleading snippet, a mis-tap) keep a high loss among a query's positives
 * while true positives' losses fall, so a click is drawn less often the higher its loss is within
 * its own query. Each draw takes a candidate pool of {@code poolSize} positives uniformly (with
 * replacement) from the query, then one of them with probability softmax(−loss / temperature).
 * Comparing only within a query keeps a query whose positives are all hard from being dropped.
 */
public final class PldResampler {
  public static final int DEFAULT_POOL_SIZE = 5;
  public static final double DEFAULT_TEMPERATURE = 1.0;

  private final int poolSize;
  private final double temperature;

  public PldResampler() {
    this(DEFAULT_POOL_SIZE, DEFAULT_TEMPERATURE);
  }

  public PldResampler(int poolSize, double temperature) {
    if (poolSize < 1) {
      throw new IllegalArgumentException("poolSize must be >= 1, got " + poolSize);
    }
    if (!(temperature > 0) || !Double.isFinite(temperature)) {
      throw new IllegalArgumentException(
          "temperature must be positive and finite, got " + temperature);
    }
    this.poolSize = poolSize;
    this.temperature = temperature;
  }

  /**
   * For each query, as many draws as it has positives: indices into its row of
   * {@code positiveLosses}. The same losses and seed give the same draws.
   *
   * @param positiveLosses per query, the current loss of each of its positives
   */
  public int[][] resample(double[][] positiveLosses, long seed) {
    SplittableRandom random = new SplittableRandom(seed);
    int[][] drawn = new int[positiveLosses.length][];
    for (int q = 0; q < positiveLosses.length; q++) {
      double[] losses = positiveLosses[q];
      drawn[q] = new int[losses.length];
      for (int d = 0; d < losses.length; d++) {
        drawn[q][d] = drawOne(losses, random);
      }
    }
    return drawn;
  }

  private int drawOne(double[] losses, SplittableRandom random) {
    int[] pool = new int[poolSize];
    double lowest = Double.POSITIVE_INFINITY;
    for (int i = 0; i < poolSize; i++) {
      pool[i] = random.nextInt(losses.length);
      if (!Double.isFinite(losses[pool[i]])) {
        throw new IllegalArgumentException("loss must be finite, got " + losses[pool[i]]);
      }
      lowest = Math.min(lowest, losses[pool[i]]);
    }
    // softmax(-loss / temperature), shifted by the lowest loss so exp cannot underflow to all 0
    double[] cumulative = new double[poolSize];
    double total = 0;
    for (int i = 0; i < poolSize; i++) {
      total += Math.exp(-(losses[pool[i]] - lowest) / temperature);
      cumulative[i] = total;
    }
    double u = random.nextDouble() * total;
    for (int i = 0; i < poolSize; i++) {
      if (u < cumulative[i]) {
        return pool[i];
      }
    }
    return pool[poolSize - 1];
  }
}
