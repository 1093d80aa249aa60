package dev.whetstone.codec.gpu;

import java.lang.System.Logger.Level;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Counts each {@link KnnFallback} and logs it at WARN: a node reason when it happens (it happens
 * once until the backend is loaded again), a segment reason once per segment field. The keys
 * already logged are bounded: past {@value #MAX_LOGGED_KEYS}, the least recently seen is dropped
 * and would be logged again. Public for the GPU path ({@code dev.whetstone.codec.gpu}), which
 * meets the fallbacks.
 */
public final class KnnFallbackLog {
  private static final System.Logger LOG = System.getLogger(KnnFallbackLog.class.getName());
  static final int MAX_LOGGED_KEYS = 1024;

  private static final Map<String, Boolean> logged =
      new LinkedHashMap<>(16, 0.75f, true) {
        @Override
        protected boolean removeEldestEntry(Map.Entry<String, Boolean> eldest) {
          return size() > MAX_LOGGED_KEYS;
        }
      };

  private KnnFallbackLog() {}

  /** A fallback of the whole node; the caller makes sure it is reported once per occurrence. */
  public static void node(KnnFallback reason, String line) {
    reason.increment();
    LOG.log(Level.WARNING, "Whetstone kNN: " + line + " [" + reason.metricName() + "]");
  }

  /**
   * A fallback of one segment field ({@code segmentKey} names the segment uniquely: its id):
   * counted each time, logged the first time for its segment field and reason.
   */
  public static void segment(KnnFallback reason, String segmentKey, String field, String line) {
    reason.increment();
    String key = segmentKey + '/' + field + '/' + reason;
    boolean first;
    synchronized (logged) {
      first = logged.put(key, Boolean.TRUE) == null;
    }
    if (first) {
      LOG.log(Level.WARNING, "Whetstone kNN: " + line + " [" + reason.metricName() + "]");
    }
  }
}
