package dev.whetstone.solr.model;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Node-wide encoders: a model directory is loaded once per JVM, however many cores name it, and
 * closed when the last core using it closes. Each entry also holds the node's query-embedding caches.
 */
final class SharedEncoders {
  private SharedEncoders() {}

  /** One loaded model, counted by the cores using it. */
  static final class Entry {
    final String key;
    final Path dir;
    final Encoder encoder;
    /** Query-embedding caches by size: cores declaring the same size share one. */
    private final Map<Integer, Cache<String, float[]>> queryCaches = new HashMap<>();
    private int users;

    private Entry(String key, Path dir, Encoder encoder) {
      this.key = key;
      this.dir = dir;
      this.encoder = encoder;
    }

    /** The node's query cache of {@code size} entries for this encoder. */
    Cache<String, float[]> queryCache(int size) {
      synchronized (SharedEncoders.class) {
        // evict on the caller's thread, so a size of 0 really caches nothing
        return queryCaches.computeIfAbsent(size,
            s -> Caffeine.newBuilder().maximumSize(s).executor(Runnable::run).build());
      }
    }
  }

  private static final Map<String, Entry> ENTRIES = new HashMap<>();

  /**
   * The encoder of {@code dir}, loaded unless a core of this node loaded it already; the files are
   * verified when it loads, against {@code expectedFingerprint} when not null.
   */
  static synchronized Entry acquire(Path dir, String expectedFingerprint,
      Encoder.Placement placement, int threads) throws IOException {
    String key = dir.toRealPath() + "|" + placement + "|" + threads;
    Entry entry = ENTRIES.get(key);
    if (entry != null && expectedFingerprint != null
        && !expectedFingerprint.equals(entry.encoder.manifest().fingerprint())) {
      throw new IOException(dir + " holds model " + entry.encoder.manifest().fingerprint()
          + ", expected model " + expectedFingerprint);
    }
    if (entry == null) {
      Encoder encoder =
          Encoder.load(ModelDirectory.open(dir, expectedFingerprint), placement, threads);
      entry = new Entry(key, dir, encoder);
      ENTRIES.put(key, entry);
    }
    entry.users++;
    return entry;
  }

  /** One more user of an entry already acquired. */
  static synchronized Entry retain(Entry entry) {
    entry.users++;
    return entry;
  }

  /** Encoders loaded in this JVM now (for tests and metrics: it must not grow with requests). */
  static synchronized int loaded() {
    return ENTRIES.size();
  }

  static synchronized void release(Entry entry) {
    if (--entry.users == 0) {
      ENTRIES.remove(entry.key);
      entry.encoder.close();
    }
  }
}
