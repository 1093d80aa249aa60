package dev.whetstone.solr.model;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * The models a registry serves, by name, and the encoders they hold: released once when the core
 * closes, never while a query tower switch is finishing.
 */
final class ServedModels {
  private final Map<String, EmbeddingModel> models = new LinkedHashMap<>();
  /** Guards the encoders in use against a switch finishing while the core closes. */
  private final Object lock = new Object();
  private final List<SharedEncoders.Entry> documentEncoders = new ArrayList<>();
  private boolean closed;

  /** Holds a document model's encoder until {@link #release()}. */
  void holdDocuments(SharedEncoders.Entry documents) {
    synchronized (lock) {
      documentEncoders.add(documents);
    }
  }

  void put(EmbeddingModel model) {
    models.put(model.name(), model);
  }

  /** The model {@code name}, or null. */
  EmbeddingModel get(String name) {
    return models.get(name);
  }

  Set<String> names() {
    return models.keySet();
  }

  /**
   * Serves queries of {@code model} by {@code next}, releasing the tower it replaces; false (and
   * {@code next} released) when the models were released first.
   */
  boolean switchQueryTower(EmbeddingModel model, EmbeddingModel.QueryTower next) {
    synchronized (lock) {
      if (closed) {
        next.release();
        return false;
      }
      model.switchQueryTower(next).release();
      return true;
    }
  }

  /** Releases every encoder held; once. */
  void release() {
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      models.values().forEach(model -> model.queryTower().release());
      documentEncoders.forEach(SharedEncoders::release);
    }
  }
}
