package dev.whetstone.batch;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * An epoch's training examples, one per query (as Tevatron and DPR train): a query with hundreds of
 * judged positives weighs in an epoch as much as one with a single positive. Each epoch draws the
 * query's positive anew, in proportion to its weight (a judgment's grade, its gain in nDCG as
 * {@code RankingMetrics} computes it; a click's inverse-propensity weight), and its negatives anew
 * from the mined pool, so over the epochs a query sees many of its positives and negatives.
 */
public final class TrainingExamples {
  private TrainingExamples() {}

  /**
   * One example per pool, in pool order, each with {@code negatives} negatives drawn without
   * replacement from the pool's (all of them when it has fewer).
   */
  public static List<TrainingExample> draw(List<QueryPool> pools, int negatives, Random random) {
    List<TrainingExample> examples = new ArrayList<>(pools.size());
    for (QueryPool pool : pools) {
      examples.add(new TrainingExample(pool.queryId(), pool.queryText(),
          positive(pool.positives(), random), sample(pool.negatives(), negatives, random)));
    }
    return examples;
  }

  private static String positive(Map<String, Double> weighted, Random random) {
    double total = 0;
    for (double weight : weighted.values()) {
      total += weight;
    }
    double pick = random.nextDouble() * total;
    String last = null;
    for (Map.Entry<String, Double> positive : weighted.entrySet()) {
      last = positive.getKey();
      pick -= positive.getValue();
      if (pick < 0) {
        return last;
      }
    }
    return last; // rounding left pick at 0
  }

  private static List<String> sample(List<String> pool, int n, Random random) {
    List<String> shuffled = new ArrayList<>(pool);
    int size = Math.min(n, shuffled.size());
    // partial Fisher-Yates: the first size slots become a uniform sample
    for (int i = 0; i < size; i++) {
      int j = i + random.nextInt(shuffled.size() - i);
      shuffled.set(j, shuffled.set(i, shuffled.get(j)));
    }
    return List.copyOf(shuffled.subList(0, size));
  }
}
