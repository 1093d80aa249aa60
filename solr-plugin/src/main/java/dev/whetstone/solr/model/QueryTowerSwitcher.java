package dev.whetstone.solr.model;

import java.io.IOException;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.solr.common.util.SolrNamedThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a core's models in line with its collection's properties, on a thread of its own: switches
 * a model's query tower to the one {@code whetstone.NAME.queryModel} names, and refuses what would
 * mix vector spaces — a changed document model (logged once, counted as an override) and a tower
 * that fails to load or pair (the old one keeps serving, the refusal is reported).
 */
final class QueryTowerSwitcher {
  // the registry's logger, so its log lines keep their category
  private static final Logger log = LoggerFactory.getLogger(ModelRegistryComponent.class);

  private final List<DeclaredModel> declared;
  private final ServedModels served;
  private final TowerLoader loader;
  private final CollectionModels collection;
  private final RegistryMetrics metrics;
  private final ExecutorService thread;
  /** The document-model property each model last refused, so it is logged once (switcher thread). */
  private final Map<String, String> refusedDocumentModels = new HashMap<>();
  /** The query-tower property each model last acted on (switcher thread only). */
  private final Map<String, String> followed = new HashMap<>();

  /** @param followed the query-tower property each model was loaded with */
  QueryTowerSwitcher(String coreName, List<DeclaredModel> declared, ServedModels served,
      TowerLoader loader, CollectionModels collection, RegistryMetrics metrics,
      Map<String, String> followed) {
    this.declared = declared;
    this.served = served;
    this.loader = loader;
    this.collection = collection;
    this.metrics = metrics;
    this.followed.putAll(followed);
    this.thread = Executors.newSingleThreadExecutor(
        new SolrNamedThreadFactory("whetstone-model-switch-" + coreName));
  }

  /** Follows every change of the collection's properties from now on. */
  void start() {
    collection.watch(props -> thread.execute(() -> follow(props)));
  }

  void stop() {
    thread.shutdownNow();
  }

  /** Brings the models in line with the collection's properties (on the switcher thread). */
  private void follow(Map<String, String> props) {
    for (DeclaredModel model : declared) {
      EmbeddingModel embedding = served.get(model.name());
      String documentModel = props.get(CollectionModels.documentModelKey(model.name()));
      String servedFingerprint = embedding.manifest().fingerprint();
      if (documentModel != null && !documentModel.equals(servedFingerprint)
          && !documentModel.equals(refusedDocumentModels.put(model.name(), documentModel))) {
        metrics.countOverride(model.name());
        log.warn("Model '{}': collection property {} now names document model {}, but this core's"
            + " vectors are document model {}: a collection's document model never changes in place"
            + " (that would mix two vector spaces); still serving {}", model.name(),
            CollectionModels.documentModelKey(model.name()), documentModel, servedFingerprint,
            servedFingerprint);
      }
      String wanted = props.get(CollectionModels.queryModelKey(model.name()));
      if (Objects.equals(wanted, followed.put(model.name(), wanted))) {
        continue; // another property changed; a refused value is tried again once it is set anew
      }
      String current = embedding.queryManifest().fingerprint();
      if (wanted == null ? loader.isConfiguredTower(model, embedding) : wanted.equals(current)) {
        continue;
      }
      String target = wanted == null ? "the configured query tower" : wanted;
      try {
        EmbeddingModel.QueryTower next = loader.loadQueryTower(model, embedding.documents(), wanted);
        if (!served.switchQueryTower(embedding, next)) {
          return;
        }
        log.info("Model '{}' of collection '{}': queries now embedded by {} (fingerprint {}), was {}",
            model.name(), collection.collection(), next.shared().dir, next.manifest().fingerprint(),
            current);
      } catch (IOException | RuntimeException e) {
        embedding.refuseSwitch(target, e.getMessage());
        log.warn("Model '{}' of collection '{}': refused query tower {}, still serving {}: {}",
            model.name(), collection.collection(), target, current, e.getMessage());
      }
    }
  }
}
