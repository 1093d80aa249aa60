package dev.whetstone.clicks;

import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The accounting of one click-log read, so that a training run can say what its clicks rest on and
 * nothing is lost silently: every line read is either used or dropped with a reason, {@code
 * linesRead() == linesUsed + linesDropped()}.
 *
 * @param linesReadPerFile non-blank lines read, per file name (for UBI read from Solr: documents
 *     read, per collection name)
 * @param linesUsed lines that became an impression, a click or a counted non-click event
 * @param impressions impressions kept
 * @param distinctQueryTexts distinct query texts among the kept impressions
 * @param sessions distinct sessions among the kept impressions (UBI: {@code session_id}, else the
 *     query's {@code client_id}; simple JSONL has no sessions, so each impression counts as one)
 * @param clicks clicks kept
 * @param nonClickEvents events whose action is not a click action (read and counted, not used as
 *     clicks)
 * @param positionsCorrected clicks whose logged position disagreed with the shown list and were
 *     given the shown list's position
 * @param dropped lines dropped, by reason
 */
public record ClickLogStats(
    SortedMap<String, Long> linesReadPerFile,
    long linesUsed,
    long impressions,
    long distinctQueryTexts,
    long sessions,
    long clicks,
    long nonClickEvents,
    long positionsCorrected,
    SortedMap<String, Long> dropped) {
  public ClickLogStats {
    linesReadPerFile = Collections.unmodifiableSortedMap(new TreeMap<>(linesReadPerFile));
    dropped = Collections.unmodifiableSortedMap(new TreeMap<>(dropped));
  }

  /** Non-blank lines read, all files together. */
  public long linesRead() {
    return linesReadPerFile.values().stream().mapToLong(Long::longValue).sum();
  }

  public long linesDropped() {
    return dropped.values().stream().mapToLong(Long::longValue).sum();
  }

  /** One line for progress output. */
  @Override
  public String toString() {
    StringBuilder line = new StringBuilder()
        .append(impressions).append(" impressions (").append(distinctQueryTexts)
        .append(" distinct queries, ").append(sessions).append(" sessions), ")
        .append(clicks).append(" clicks, ").append(nonClickEvents).append(" other events; ")
        .append(linesRead()).append(" lines read ").append(linesReadPerFile)
        .append(", ").append(linesUsed).append(" used, ").append(linesDropped()).append(" dropped");
    if (!dropped.isEmpty()) {
      line.append(' ').append(dropped);
    }
    if (positionsCorrected > 0) {
      line.append("; ").append(positionsCorrected).append(" positions corrected from shown list");
    }
    return line.toString();
  }

  /** Adds one to {@code reason}'s count, for the readers that build {@link #dropped}. */
  static void count(Map<String, Long> counts, String reason) {
    counts.merge(reason, 1L, Long::sum);
  }
}
