package dev.whetstone.mine;

import java.util.List;

/** A training query with its labeled positive documents (the qrels of relevance > 0). */
public record LabeledQuery(String queryId, String queryText, List<String> positiveIds) {
  public LabeledQuery {
    positiveIds = List.copyOf(positiveIds);
  }
}
