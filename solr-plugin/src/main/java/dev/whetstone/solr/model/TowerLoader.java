package dev.whetstone.solr.model;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.model.ModelManifest;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import org.apache.solr.core.SolrCore;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Loads a declared model's towers for a core: the document model the collection records (or
 * records now), and a query tower paired with it ({@link TowerPairing}), their files found by
 * {@link ModelLocator} and verified, a file store copy read again while it may still be arriving.
 */
final class TowerLoader {
  // the registry's logger, so its log lines keep their category
  private static final Logger log = LoggerFactory.getLogger(ModelRegistryComponent.class);
  private static final int PUBLISHED_COPY_ATTEMPTS = 3;

  private final ModelLocator locator;
  private final CollectionModels collection;
  private final RegistryMetrics metrics;

  /** @param collection the core's collection in SolrCloud, or null (standalone Solr) */
  TowerLoader(ModelLocator locator, CollectionModels collection, RegistryMetrics metrics) {
    this.locator = locator;
    this.collection = collection;
    this.metrics = metrics;
  }

  /**
   * The collection's recorded document model; a collection with none records the one named at
   * CREATE (core property) or, failing that, the configured {@code path}. A configured path that
   * names another model than the recorded one is not served: that would mix two vector spaces.
   */
  SharedEncoders.Entry loadDocumentModel(DeclaredModel model, Map<String, String> recorded,
      SolrCore core) throws IOException {
    String key = CollectionModels.documentModelKey(model.name());
    String fingerprint = recorded.get(key);
    if (fingerprint == null) {
      fingerprint = core.getCoreDescriptor().getCoreProperty(key, null);
    }
    Path dir = fingerprint == null ? locator.configured(model.path()) : locator.byFingerprint(fingerprint);
    SharedEncoders.Entry documents = acquire(model, dir, fingerprint);
    try {
      TowerPairing.check(model.name(), dir, documents.encoder.manifest(), null, null);
      String loaded = documents.encoder.manifest().fingerprint();
      if (collection != null && !recorded.containsKey(key)) {
        String winner = collection.recordIfAbsent(key, loaded);
        if (!winner.equals(loaded)) {
          throw new IOException("collection property " + key + " records document model " + winner
              + " (another core was first), but this core loaded " + loaded + " from " + dir);
        }
      } else if (recorded.containsKey(key)) {
        warnIfConfiguredDiffers(model, loaded);
      }
      return documents;
    } catch (IOException | RuntimeException e) {
      SharedEncoders.release(documents);
      throw e;
    }
  }

  private void warnIfConfiguredDiffers(DeclaredModel model, String served) {
    try {
      ModelManifest configured = ModelManifest.read(
          locator.configured(model.path()).resolve(ModelManifest.FILE_NAME));
      if (!configured.fingerprint().equals(served)) {
        log.warn("Model '{}': collection '{}' holds vectors of document model {} (collection property"
            + " {}); the configured path '{}' is document model {}, which is not used for it: a new"
            + " document model needs a new collection ('whetstone deploy' builds one)", model.name(),
            collection.collection(), served, CollectionModels.documentModelKey(model.name()),
            model.path(), configured.fingerprint());
        metrics.countOverride(model.name());
      }
    } catch (IOException e) {
      log.debug("Model '{}': configured path '{}' not readable here", model.name(), model.path(), e);
    }
  }

  /**
   * The query tower {@code fingerprint} (null: the configured {@code queryPath}, else the document
   * model itself), checked to pair with {@code documents}, with its calibration.
   */
  EmbeddingModel.QueryTower loadQueryTower(DeclaredModel model, SharedEncoders.Entry documents,
      String fingerprint) throws IOException {
    SharedEncoders.Entry queries;
    if (fingerprint != null) {
      queries = acquire(model, locator.byFingerprint(fingerprint), fingerprint);
    } else if (model.queryPath() != null) {
      queries = acquire(model, locator.configured(model.queryPath()), null);
    } else {
      queries = SharedEncoders.retain(documents);
    }
    try {
      TowerPairing.check(model.name(), documents.dir, documents.encoder.manifest(),
          queries == documents ? null : queries.dir, queries.encoder.manifest());
      // read per core, not node-wide, so a core reload picks up a refitted calibration
      CosineAdapter calibration =
          CosineAdapter.forModel(queries.dir, queries.encoder.manifest()).orElse(null);
      return new EmbeddingModel.QueryTower(queries, queries.queryCache(model.queryCacheSize()),
          calibration);
    } catch (IOException | RuntimeException e) {
      SharedEncoders.release(queries);
      throw e;
    }
  }

  /** Whether the tower serving is the one solrconfig.xml declares (queryPath, else the documents'). */
  boolean isConfiguredTower(DeclaredModel model, EmbeddingModel embedding) {
    if (model.queryPath() == null) {
      return embedding.queryTower().shared() == embedding.documents();
    }
    try {
      return locator.configured(model.queryPath()).toRealPath()
          .equals(embedding.queryTower().shared().dir.toRealPath());
    } catch (IOException e) {
      return false;
    }
  }

  /**
   * The encoder of {@code dir}, its files verified. A file store copy that fails is read again a
   * few times: this node may be fetching it in the background right now.
   */
  private SharedEncoders.Entry acquire(DeclaredModel model, Path dir, String fingerprint)
      throws IOException {
    for (int attempt = 1; ; attempt++) {
      try {
        return SharedEncoders.acquire(dir, fingerprint, model.placement(), model.threads());
      } catch (IOException e) {
        if (!locator.isPublished(dir) || attempt == PUBLISHED_COPY_ATTEMPTS) {
          throw e;
        }
        log.info("Model '{}': {} did not verify (attempt {} of {}), reading it again in 1 s: {}",
            model.name(), dir, attempt, PUBLISHED_COPY_ATTEMPTS, e.getMessage());
        try {
          Thread.sleep(1000);
        } catch (InterruptedException interrupted) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }
}
