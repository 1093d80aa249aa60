package dev.whetstone.batch;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What one training query can train on: its labeled positives with their weights, and the
 * negatives mining kept for it. Each epoch draws one {@link TrainingExample} from it.
 *
 * @param positives document id → how often it is drawn, relative to the query's other positives
 *     (> 0, finite): its grade for judgments, its clipped inverse-propensity weight for clicks; in
 *     judgment order
 */
public record QueryPool(String queryId, String queryText, Map<String, Double> positives,
    List<String> negatives) {
  public QueryPool {
    if (positives.isEmpty()) {
      throw new IllegalArgumentException("query '" + queryId + "' has no positive to train on");
    }
    positives.forEach((doc, weight) -> {
      if (!(weight > 0) || weight.isInfinite()) {
        throw new IllegalArgumentException("query '" + queryId + "': document '" + doc
            + "' has weight " + weight + ", a positive needs a finite weight > 0");
      }
    });
    positives = Collections.unmodifiableMap(new LinkedHashMap<>(positives));
    negatives = List.copyOf(negatives);
  }
}
