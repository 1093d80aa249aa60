package dev.whetstone.clicks;

import java.util.List;

/**
 * What a click source held: the impressions a click model reads, and the accounting that says how
 * every input line was used or why it was dropped.
 */
public record ClickLog(List<Impression> impressions, ClickLogStats stats) {
  public ClickLog {
    impressions = List.copyOf(impressions);
  }
}
