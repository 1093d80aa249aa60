package dev.whetstone.clicks;

import java.util.List;
import java.util.Objects;

/**
 * One result list a user was shown, and what they clicked in it: the unit every click model reads.
 *
 * @param queryId the query's id in the log (UBI {@code query_id}); unique per impression
 * @param queryText what the user typed; impressions of the same text are the same query
 * @param shown the shown document ids, best first: {@code shown.get(r - 1)} was at position r
 * @param clicks the clicks on shown documents, in the order they happened
 */
public record Impression(String queryId, String queryText, List<String> shown, List<Click> clicks) {
  public Impression {
    Objects.requireNonNull(queryId, "queryId");
    Objects.requireNonNull(queryText, "queryText");
    shown = List.copyOf(shown);
    clicks = List.copyOf(clicks);
  }

  /**
   * A click on a shown document.
   *
   * @param docId the clicked document
   * @param position its 1-based position in the shown list
   * @param dwellSeconds time spent on it, or {@link Double#NaN} when the log does not say
   */
  public record Click(String docId, int position, double dwellSeconds) {
    public Click {
      Objects.requireNonNull(docId, "docId");
      if (position < 1) {
        throw new IllegalArgumentException("position must be >= 1, got " + position);
      }
    }
  }
}
