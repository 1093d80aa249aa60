package dev.whetstone.solr;

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
 * closed when the last core using it closes. Each entry also holds the node's query-embedding cache.
 */
final class SharedEncoders {
  private SharedEncoders() {}

  /** One loaded model, counted by the cores using it. */
  static final class Entry {
    final String key;
    final Encoder encoder;
    final Cache<String, float[]> queryCache;
    private int users;

    private Entry(String key, Encoder encoder, int cacheSize) {
      this.key = key;
      this.encoder = encoder;
      // evict on the caller's thread, so a size of 0 really caches nothing
      this.queryCache = Caffeine.newBuilder().maximumSize(cacheSize).executor(Runnable::run).build();
    }
  }

  private static final Map<String, Entry> ENTRIES = new HashMap<>();

  static synchronized Entry acquire(Path dir, Encoder.Placement placement, int threads,
      int cacheSize) throws IOException {
    String key = dir.toRealPath() + "|" + placement + "|" + threads;
    Entry entry = ENTRIES.get(key);
    if (entry == null) {
      Encoder encoder = Encoder.load(ModelDirectory.open(dir), placement, threads);
      entry = new Entry(key, encoder, cacheSize);
      ENTRIES.put(key, entry);
    }
    entry.users++;
    return entry;
  }

  static synchronized void release(Entry entry) {
    if (--entry.users == 0) {
      ENTRIES.remove(entry.key);
      entry.encoder.close();
    }
  }
}
