package dev.whetstone.batch;

import dev.whetstone.mine.Candidate;
import dev.whetstone.mine.MinedQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Turns mined queries into training examples. */
public final class TrainingExamples {
  private TrainingExamples() {}

  /**
   * One example per (query, labeled positive), each with {@code negatives} negatives drawn without
   * replacement from the query's mined ones (all of them when it has fewer).
   */
  public static List<TrainingExample> from(List<MinedQuery> mined, int negatives, Random random) {
    List<TrainingExample> examples = new ArrayList<>();
    for (MinedQuery query : mined) {
      for (String positive : query.positiveIds()) {
        List<String> pool = new ArrayList<>(query.negatives().stream().map(Candidate::docId).toList());
        int n = Math.min(negatives, pool.size());
        // partial Fisher-Yates: the first n slots become a uniform sample
        for (int i = 0; i < n; i++) {
          int j = i + random.nextInt(pool.size() - i);
          pool.set(j, pool.set(i, pool.get(j)));
        }
        examples.add(new TrainingExample(query.queryId(), query.queryText(), positive,
            pool.subList(0, n)));
      }
    }
    return examples;
  }
}
