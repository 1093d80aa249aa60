package dev.whetstone.clicks;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * What the clicks on one query text say, for training and evaluation. Documents that were never
 * shown for the query appear nowhere: no click is no evidence about them.
 *
 * @param queryText the query these labels belong to
 * @param impressions how many times the query was shown
 * @param positives clicked documents → weight (the sum of their clicks' inverse propensity
 *     weights, divided by {@code impressions} when the labeler normalizes), in first-click order
 * @param grades each positive → graded relevance 0, 1 or 2 from its debiased click-through rate
 *     (see {@link ClickLabeler}), for evaluation
 * @param skipAboveNegatives documents shown above a clicked one, skipped, and never clicked for
 *     this query (Joachims 2002), in the order first skipped
 */
public record ClickLabels(String queryText, int impressions, Map<String, Double> positives,
    Map<String, Integer> grades, Set<String> skipAboveNegatives) {
  public ClickLabels {
    positives = Collections.unmodifiableMap(new LinkedHashMap<>(positives));
    grades = Collections.unmodifiableMap(new LinkedHashMap<>(grades));
    skipAboveNegatives = Collections.unmodifiableSet(new LinkedHashSet<>(skipAboveNegatives));
  }
}
