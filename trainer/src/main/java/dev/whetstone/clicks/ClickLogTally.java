package dev.whetstone.clicks;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/** The counters a reader keeps while it reads, turned into {@link ClickLogStats} at the end. */
final class ClickLogTally {
  private final Map<String, Long> linesRead = new TreeMap<>();
  private final Map<String, Long> dropped = new TreeMap<>();
  private long linesUsed;
  private long clicks;
  private long nonClickEvents;
  private long positionsCorrected;

  void lineRead(Path file) {
    recordRead(file.getFileName().toString());
  }

  /** One record read from the log named {@code log} (a file or collection name). */
  void recordRead(String log) {
    ClickLogStats.count(linesRead, log);
  }

  void lineUsed() {
    linesUsed++;
  }

  void dropped(String reason) {
    ClickLogStats.count(dropped, reason);
  }

  void click(boolean positionCorrected) {
    clicks++;
    if (positionCorrected) {
      positionsCorrected++;
    }
  }

  void nonClickEvent() {
    nonClickEvents++;
  }

  /** The stats of the kept impressions; {@code sessionKeys} holds one key per impression. */
  ClickLogStats stats(List<Impression> impressions, Set<String> sessionKeys) {
    Set<String> texts = new HashSet<>();
    impressions.forEach(impression -> texts.add(impression.queryText()));
    return new ClickLogStats(new TreeMap<>(linesRead), linesUsed, impressions.size(), texts.size(),
        sessionKeys.size(), clicks, nonClickEvents, positionsCorrected, new TreeMap<>(dropped));
  }
}
