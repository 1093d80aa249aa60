package dev.whetstone.codec;

import dev.whetstone.codec.gpu.KnnFallback;
import dev.whetstone.codec.gpu.KnnFallbackLog;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * The WARN lines {@link KnnFallbackLog} writes while open (its {@code System.Logger} is
 * java.util.logging's here), kept off the console, and the counts of {@link KnnFallback}s since
 * it opened.
 */
public final class FallbackWarnings implements AutoCloseable {
  /** Held: java.util.logging keeps loggers, and so their handlers, only weakly. */
  private final Logger logger = Logger.getLogger(KnnFallbackLog.class.getName());
  private final List<String> lines = new ArrayList<>();
  private final long[] countsAtStart = new long[KnnFallback.values().length];
  private final Handler handler = new Handler() {
    @Override
    public void publish(LogRecord record) {
      if (record.getLevel() == Level.WARNING) {
        synchronized (lines) {
          lines.add(record.getMessage());
        }
      }
    }

    @Override
    public void flush() {}

    @Override
    public void close() {}
  };

  public FallbackWarnings() {
    for (KnnFallback reason : KnnFallback.values()) {
      countsAtStart[reason.ordinal()] = reason.count();
    }
    logger.addHandler(handler);
    logger.setUseParentHandlers(false);
  }

  /** How often {@code reason} was counted since this opened. */
  public long counted(KnnFallback reason) {
    return reason.count() - countsAtStart[reason.ordinal()];
  }

  /** The WARN lines for {@code reason} since this opened. */
  public List<String> lines(KnnFallback reason) {
    List<String> found = new ArrayList<>();
    synchronized (lines) {
      for (String line : lines) {
        if (line.endsWith("[" + reason.metricName() + "]")) {
          found.add(line);
        }
      }
    }
    return found;
  }

  @Override
  public void close() {
    logger.removeHandler(handler);
    logger.setUseParentHandlers(true);
  }
}
