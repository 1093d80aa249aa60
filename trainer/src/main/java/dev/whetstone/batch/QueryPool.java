package dev.whetstone.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one training query can train on: its labeled positives with their grades, and the negatives
 * mining kept for it. Each epoch draws one {@link TrainingExample} from it.
 *
 * @param positives document id → graded relevance (> 0), in judgment order
 */
public record QueryPool(String queryId, String queryText, Map<String, Integer> positives,
    List<String> negatives) {
  public QueryPool {
    if (positives.isEmpty()) {
      throw new IllegalArgumentException("query '" + queryId + "' has no positive to train on");
    }
    positives.forEach((doc, grade) -> {
      if (grade <= 0) {
        throw new IllegalArgumentException("query '" + queryId + "': document '" + doc
            + "' has grade " + grade + ", a positive needs a grade > 0");
      }
    });
    positives = Collections.unmodifiableMap(new LinkedHashMap<>(positives));
    negatives = List.copyOf(negatives);
  }
}
