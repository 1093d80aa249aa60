package dev.whetstone.clicks;

import dev.whetstone.data.Qrels;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * How the documents a click log grades relevant compare with judgments of the same queries: for a
 * simulated log, how much of the judges' signal the clicks carry and how much noise they add.
 *
 * @param graded documents graded 1 or more, over all query texts (train and dev)
 * @param gradedJudged of those, the ones the judgments call relevant
 * @param shownJudged judged relevant documents the log showed for their query
 */
public record ClickLabelQuality(long graded, long gradedJudged, long shownJudged) {

  /**
   * @param labels the log's labels, as the trainer makes them
   * @param judgedByText query text → its judgments
   * @param log the impressions the labels came from (what was shown)
   */
  public static ClickLabelQuality of(ClickJudgments labels, Map<String, Map<String, Integer>> judgedByText,
      List<Impression> log) {
    Map<String, Set<String>> shown = new HashMap<>();
    log.forEach(impression -> shown.computeIfAbsent(impression.queryText(), t -> new HashSet<>())
        .addAll(impression.shown()));
    long shownJudged = 0;
    for (Map.Entry<String, Set<String>> entry : shown.entrySet()) {
      Map<String, Integer> judged = judgedByText.getOrDefault(entry.getKey(), Map.of());
      shownJudged += entry.getValue().stream().filter(doc -> judged.getOrDefault(doc, 0) > 0).count();
    }
    long graded = 0;
    long gradedJudged = 0;
    for (Qrels split : List.of(labels.train(), labels.dev())) {
      for (String id : split.queryIds()) {
        Map<String, Integer> judged =
            judgedByText.getOrDefault(labels.queries().get(id), Map.of());
        for (Map.Entry<String, Integer> doc : split.judgments(id).entrySet()) {
          if (doc.getValue() > 0) {
            graded++;
            gradedJudged += judged.getOrDefault(doc.getKey(), 0) > 0 ? 1 : 0;
          }
        }
      }
    }
    return new ClickLabelQuality(graded, gradedJudged, shownJudged);
  }

  /** Share of the graded documents that are judged relevant. */
  public double precision() {
    return graded == 0 ? 0 : (double) gradedJudged / graded;
  }

  /** Share of the shown judged documents that the clicks grade. */
  public double recallOfShown() {
    return shownJudged == 0 ? 0 : (double) gradedJudged / shownJudged;
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%d documents graded relevant from the clicks, %d of them "
        + "judged relevant (precision %.2f); %d of the %d judged documents the log showed (%.2f)",
        graded, gradedJudged, precision(), gradedJudged, shownJudged, recallOfShown());
  }
}
