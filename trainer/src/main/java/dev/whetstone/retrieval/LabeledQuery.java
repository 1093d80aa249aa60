package dev.whetstone.retrieval;

import dev.whetstone.data.Qrels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/** A training query with its labeled positive documents (the qrels of relevance > 0). */
public record LabeledQuery(String queryId, String queryText, List<String> positiveIds) {
  public LabeledQuery {
    positiveIds = List.copyOf(positiveIds);
  }

  /**
   * The queries {@code qrels} judges, in its order, with their positives; a query without a
   * positive is left out, as there is nothing to mine negatives against.
   *
   * @param texts query id → text
   * @throws IllegalArgumentException if a judged query has no text
   */
  public static List<LabeledQuery> judged(Qrels qrels, Map<String, String> texts) {
    List<LabeledQuery> queries = new ArrayList<>();
    for (String id : qrels.queryIds()) {
      String text = texts.get(id);
      if (text == null) {
        throw new IllegalArgumentException("query '" + id + "' is judged but not in the queries");
      }
      List<String> positives = qrels.judgments(id).entrySet().stream()
          .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).toList();
      if (!positives.isEmpty()) {
        queries.add(new LabeledQuery(id, text, positives));
      }
    }
    return queries;
  }
}
