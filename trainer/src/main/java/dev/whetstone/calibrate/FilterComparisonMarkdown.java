package dev.whetstone.calibrate;

import java.util.List;
import java.util.Locale;

/** A {@link FilterComparison}'s rows and off-topic figures as Markdown tables. */
final class FilterComparisonMarkdown {
  private FilterComparisonMarkdown() {}

  /** @param offTopic the off-topic figures, or null for the rows alone */
  static String render(List<FilterComparison.Row> rows,
      List<FilterComparison.OffTopicPoint> offTopic, String offTopicName) {
    StringBuilder text = new StringBuilder();
    text.append("| method | cut-off (chosen on dev) | precision | recall | F1 | returned/query "
        + "| empty | precision at top-10's recall | ECE |\n|---|---|---|---|---|---|---|---|---|\n");
    for (FilterComparison.Row row : rows) {
      text.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %.1f | %.1f%% | %s | %s |%n",
          row.method(), row.cutOff(), row.test().precision(), row.test().recall(), row.test().f1(),
          row.test().returnedPerQuery(), 100 * row.test().emptyShare(),
          Double.isNaN(row.precisionAtTop10Recall()) ? "—"
              : String.format(Locale.ROOT, "%.4f", row.precisionAtTop10Recall()),
          Double.isNaN(row.ece()) ? "—" : String.format(Locale.ROOT, "%.4f", row.ece())));
    }
    if (offTopic != null) {
      text.append(String.format(Locale.ROOT, "%n%s queries against this index (off-topic):%n%n",
          offTopicName));
      text.append("| method | threshold | off-topic queries returning nothing "
          + "| test top-10 recall kept |\n|---|---|---|---|\n");
      for (FilterComparison.OffTopicPoint point : offTopic) {
        text.append(String.format(Locale.ROOT, "| %s | %s | %.1f%% | %.1f%% |%n", point.method(),
            point.threshold(), 100 * point.emptyShare(), 100 * point.top10RecallKept()));
      }
    }
    return text.toString();
  }
}
