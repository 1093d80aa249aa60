package dev.whetstone.solr.model;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.solr.CheckedParams;
import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.WhetstoneParams;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SolrNamedThreadFactory;
import org.apache.solr.core.CloseHook;
import org.apache.solr.core.SolrCore;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.metrics.SolrMetricsContext;
import org.apache.solr.util.plugin.SolrCoreAware;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Declares the embedding models of a core and forwards query vectors from the coordinator to the
 * shards. Declared once in solrconfig.xml:
 *
 * <pre>{@code
 * <searchComponent name="embeddings" class="dev.whetstone.solr.model.ModelRegistryComponent">
 *   <lst name="models">
 *     <lst name="minilm"><str name="path">all-minilm-l6-v2</str></lst>
 *   </lst>
 * </searchComponent>
 * }</pre>
 *
 * and listed in the search handler's {@code last-components}, so that in SolrCloud the text of a
 * {@code {!embed}} or {@code {!hybrid}} query is embedded once, on the coordinator.
 *
 * <p>In SolrCloud the collection, not the configset, decides which models serve it ({@link
 * CollectionModels}): the document model its vectors come from is recorded when its first core
 * loads (the configured {@code path}, or the model named at CREATE by the core property {@code
 * whetstone.NAME.documentModel}) and served from then on; the query tower follows the collection
 * property {@code whetstone.NAME.queryModel}, switched while the core serves, after the model's
 * files were found ({@link ModelLocator}: Solr's file store or the models directory), verified
 * against its fingerprint and paired with the document model. A switch that fails leaves the old
 * tower serving and is reported in the core's metrics ({@code queryModelRefused}).
 *
 * <p>A model whose query tower's directory holds a {@code calibration.json} serves {@code
 * minRelevance} and relevance scores; one fitted for other towers fails the model's loading,
 * naming the file and both fingerprints.
 */
public class ModelRegistryComponent extends SearchComponent implements SolrCoreAware {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
  private static final int PUBLISHED_COPY_ATTEMPTS = 3;

  /** A model as solrconfig.xml declares it. */
  private record Declared(String name, String path, String queryPath,
      Encoder.Placement placement, int threads, int queryCacheSize) {}

  private String modelsDirArg;
  private final List<Declared> declared = new ArrayList<>();
  private final Map<String, EmbeddingModel> models = new LinkedHashMap<>();
  private ModelLocator locator;
  private CollectionModels collection;
  private ExecutorService switcher;
  /** Guards the encoders in use against a switch finishing while the core closes. */
  private final Object lock = new Object();
  private final List<SharedEncoders.Entry> documentEncoders = new ArrayList<>();
  /** The document-model property each model last refused, so it is logged once (switcher thread). */
  private final Map<String, String> refusedDocumentModels = new HashMap<>();
  /** The query-tower property each model last acted on (switcher thread only). */
  private final Map<String, String> followed = new HashMap<>();
  private boolean closed;

  @Override
  public void init(NamedList<?> args) {
    super.init(args);
    Object dir = args.get(WhetstoneParams.MODELS_DIR);
    modelsDirArg = dir == null ? null : dir.toString().trim();
    Object list = args.get(WhetstoneParams.MODELS);
    if (!(list instanceof NamedList<?> named) || named.size() == 0) {
      throw new SolrException(ErrorCode.SERVER_ERROR, "searchComponent '" + getName()
          + "' needs <lst name=\"models\"> with at least one <lst name=\"MODEL\">");
    }
    for (Map.Entry<String, ?> model : named) {
      String name = model.getKey();
      if (!(model.getValue() instanceof NamedList<?> params)) {
        throw configError(name, "must be a <lst> of model settings");
      }
      CheckedParams settings = CheckedParams.ofConfig(params, message -> configError(name, message));
      String queryPath = settings.get(WhetstoneParams.QUERY_PATH);
      declared.add(new Declared(name,
          settings.required(WhetstoneParams.PATH, "the model directory"),
          // blank (e.g. an unset ${property:}) means the document model embeds queries too
          queryPath == null || queryPath.isBlank() ? null : queryPath.trim(),
          settings.choice(WhetstoneParams.DEVICE, Encoder.Placement.class, Encoder.Placement.CPU),
          settings.nonNegativeInt(WhetstoneParams.THREADS, 0),
          settings.nonNegativeInt(WhetstoneParams.QUERY_CACHE_SIZE, 1000)));
    }
  }

  @Override
  public void inform(SolrCore core) {
    locator = new ModelLocator(modelsDir(core), core.getResourceLoader().getConfigPath(),
        core.getCoreContainer().isZooKeeperAware() ? core.getCoreContainer().getFileStore() : null);
    collection = CollectionModels.of(core);
    core.addCloseHook(new CloseHook() {
      @Override
      public void postClose(SolrCore closing) {
        releaseModels();
      }
    });
    Map<String, String> recorded = collectionProperties();
    for (Declared model : declared) {
      try {
        SharedEncoders.Entry documents = loadDocumentModel(model, recorded, core);
        synchronized (lock) {
          documentEncoders.add(documents);
        }
        String queryModel = recorded.get(CollectionModels.queryModelKey(model.name()));
        EmbeddingModel.QueryTower tower = loadQueryTower(model, documents, queryModel);
        followed.put(model.name(), queryModel);
        EmbeddingModel embedding = new EmbeddingModel(model.name(), documents, tower, metrics(model.name()));
        models.put(model.name(), embedding);
        gauges(embedding);
        log.info("Model '{}' from {} on {} (fingerprint {}){}{}", model.name(), documents.dir,
            documents.encoder.placement(), documents.encoder.manifest().fingerprint(),
            tower.shared() == documents ? "" : ", queries by " + tower.shared().dir
                + " (fingerprint " + tower.manifest().fingerprint() + ")",
            tower.calibration() == null ? "" : ", calibrated (" + tower.calibration().map().label()
                + " map, default minRelevance " + tower.calibration().threshold() + ")");
      } catch (IOException | RuntimeException e) {
        throw new SolrException(ErrorCode.SERVER_ERROR, "model '" + model.name()
            + "' cannot be loaded" + (collection == null ? "" : " for collection '"
            + collection.collection() + "'") + ": " + e.getMessage(), e);
      }
    }
    if (collection != null) {
      switcher = Executors.newSingleThreadExecutor(
          new SolrNamedThreadFactory("whetstone-model-switch-" + core.getName()));
      collection.watch(props -> switcher.execute(() -> follow(props)));
    }
  }

  private Map<String, String> collectionProperties() {
    if (collection == null) {
      return Map.of();
    }
    try {
      return collection.read();
    } catch (IOException e) {
      throw new SolrException(ErrorCode.SERVER_ERROR,
          "cannot read the properties of collection '" + collection.collection() + "'", e);
    }
  }

  /**
   * The collection's recorded document model; a collection with none records the one named at
   * CREATE (core property) or, failing that, the configured {@code path}. A configured path that
   * names another model than the recorded one is not served: that would mix two vector spaces.
   */
  private SharedEncoders.Entry loadDocumentModel(Declared model, Map<String, String> recorded,
      SolrCore core) throws IOException {
    String key = CollectionModels.documentModelKey(model.name());
    String fingerprint = recorded.get(key);
    if (fingerprint == null) {
      fingerprint = core.getCoreDescriptor().getCoreProperty(key, null);
    }
    Path dir = fingerprint == null ? locator.configured(model.path()) : locator.byFingerprint(fingerprint);
    SharedEncoders.Entry documents = acquire(model, dir, fingerprint);
    try {
      checkPairing(model.name(), dir, documents.encoder.manifest(), null, null);
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

  private void warnIfConfiguredDiffers(Declared model, String served) {
    try {
      ModelManifest configured = ModelManifest.read(
          locator.configured(model.path()).resolve(ModelManifest.FILE_NAME));
      if (!configured.fingerprint().equals(served)) {
        log.warn("Model '{}': collection '{}' holds vectors of document model {} (collection property"
            + " {}); the configured path '{}' is document model {}, which is not used for it: a new"
            + " document model needs a new collection ('whetstone deploy' builds one)", model.name(),
            collection.collection(), served, CollectionModels.documentModelKey(model.name()),
            model.path(), configured.fingerprint());
        countOverride(model.name());
      }
    } catch (IOException e) {
      log.debug("Model '{}': configured path '{}' not readable here", model.name(), model.path(), e);
    }
  }

  /**
   * The query tower {@code fingerprint} (null: the configured {@code queryPath}, else the document
   * model itself), checked to pair with {@code documents}, with its calibration.
   */
  private EmbeddingModel.QueryTower loadQueryTower(Declared model, SharedEncoders.Entry documents,
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
      checkPairing(model.name(), documents.dir, documents.encoder.manifest(),
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

  /**
   * The encoder of {@code dir}, its files verified. A file store copy that fails is read again a
   * few times: this node may be fetching it in the background right now.
   */
  private SharedEncoders.Entry acquire(Declared model, Path dir, String fingerprint)
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

  /** Brings the models in line with the collection's properties (on the switcher thread). */
  private void follow(Map<String, String> props) {
    for (Declared model : declared) {
      EmbeddingModel embedding = models.get(model.name());
      String documentModel = props.get(CollectionModels.documentModelKey(model.name()));
      String served = embedding.manifest().fingerprint();
      if (documentModel != null && !documentModel.equals(served)
          && !documentModel.equals(refusedDocumentModels.put(model.name(), documentModel))) {
        countOverride(model.name());
        log.warn("Model '{}': collection property {} now names document model {}, but this core's"
            + " vectors are document model {}: a collection's document model never changes in place"
            + " (that would mix two vector spaces); still serving {}", model.name(),
            CollectionModels.documentModelKey(model.name()), documentModel, served, served);
      }
      String wanted = props.get(CollectionModels.queryModelKey(model.name()));
      if (Objects.equals(wanted, followed.put(model.name(), wanted))) {
        continue; // another property changed; a refused value is tried again once it is set anew
      }
      String current = embedding.queryManifest().fingerprint();
      if (wanted == null ? isConfiguredTower(model, embedding) : wanted.equals(current)) {
        continue;
      }
      String target = wanted == null ? "the configured query tower" : wanted;
      try {
        EmbeddingModel.QueryTower next = loadQueryTower(model, embedding.documents(), wanted);
        synchronized (lock) {
          if (closed) {
            next.release();
            return;
          }
          embedding.switchQueryTower(next).release();
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

  /** Whether the tower serving is the one solrconfig.xml declares (queryPath, else the documents'). */
  private boolean isConfiguredTower(Declared model, EmbeddingModel embedding) {
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

  private void releaseModels() {
    if (collection != null) {
      collection.close();
    }
    if (switcher != null) {
      switcher.shutdownNow();
    }
    synchronized (lock) {
      if (closed) {
        return;
      }
      closed = true;
      models.values().forEach(model -> model.queryTower().release());
      documentEncoders.forEach(SharedEncoders::release);
    }
  }

  /**
   * Refuses a query-only model in the document role, and a query tower trained against another
   * document model: its vectors would not be comparable with the index's.
   */
  static void checkPairing(String name, Path documentDir, ModelManifest documents, Path queryDir,
      ModelManifest queries) {
    if (documents.documentTowerFingerprint() != null) {
      throw new IllegalArgumentException(documentDir + " holds a query-only model (it pairs with "
          + "document model " + documents.documentTowerFingerprint() + "): declare it as '"
          + WhetstoneParams.QUERY_PATH + "' of model '" + name + "', beside the '"
          + WhetstoneParams.PATH + "' of the document model it was trained against");
    }
    if (queryDir == null) {
      return;
    }
    if (!queries.pairedDocumentFingerprint().equals(documents.fingerprint())) {
      throw new IllegalArgumentException("query model " + queryDir + " pairs with document model "
          + queries.pairedDocumentFingerprint() + ", but '" + WhetstoneParams.PATH + "' "
          + documentDir + " is document model " + documents.fingerprint() + ": its query vectors "
          + "would not match the indexed vectors; pair it with the model it was trained against");
    }
    if (queries.dimension() != documents.dimension()) {
      throw new IllegalArgumentException("query model " + queryDir + " has dimension "
          + queries.dimension() + " but document model " + documentDir + " has "
          + documents.dimension());
    }
  }

  /** The registries declared in a core's solrconfig.xml (normally one). */
  static List<ModelRegistryComponent> of(SolrCore core) {
    List<ModelRegistryComponent> registries = new ArrayList<>();
    for (String name : core.getSearchComponents().keySet()) {
      if (core.getSearchComponent(name) instanceof ModelRegistryComponent registry) {
        registries.add(registry);
      }
    }
    return List.copyOf(registries);
  }

  /** The named model of a core; a 400 naming the declared models when it has none of that name. */
  public static EmbeddingModel model(SolrCore core, String name) {
    return model(of(core), name);
  }

  /** The named model among {@code registries}; a 400 naming the declared models when none has it. */
  static EmbeddingModel model(List<ModelRegistryComponent> registries, String name) {
    List<String> declared = new ArrayList<>();
    for (ModelRegistryComponent registry : registries) {
      EmbeddingModel model = registry.models.get(name);
      if (model != null) {
        return model;
      }
      declared.addAll(registry.models.keySet());
    }
    if (name == null || name.isBlank()) {
      throw new SolrException(ErrorCode.BAD_REQUEST,
          "missing parameter '" + WhetstoneParams.MODEL + "'; declared models: " + declared);
    }
    throw new SolrException(ErrorCode.BAD_REQUEST, "unknown model '" + name
        + "'; models declared in solrconfig.xml: " + declared);
  }

  /**
   * Sends the query vectors this request embedded with every shard request (top ids and field
   * fetches alike), so no shard embeds the text again, and signs them with the fused scores.
   * Signed here because this component comes last (last-components), after every other has set its
   * params.
   */
  @Override
  public void modifyRequest(ResponseBuilder rb, SearchComponent who, ShardRequest sreq) {
    InternalParams.forward(rb.req, sreq.params, EmbeddingModel.forwardedVectors(rb.req));
  }

  @Override
  public void prepare(ResponseBuilder rb) {
    // also covers requests whose query parsers never read them
    InternalParams.verify(rb.req);
  }

  @Override
  public void process(ResponseBuilder rb) {}

  @Override
  public String getDescription() {
    return "Whetstone embedding models";
  }

  private Path modelsDir(SolrCore core) {
    String configured = modelsDirArg;
    if (configured == null || configured.isEmpty()) {
      configured = System.getProperty(WhetstoneParams.MODELS_DIR_PROPERTY, "");
    }
    if (configured.isEmpty()) {
      return Paths.get(core.getCoreContainer().getSolrHome()).resolve("models").toAbsolutePath().normalize();
    }
    return Paths.get(configured).toAbsolutePath().normalize();
  }

  private EmbeddingModel.Metrics metrics(String model) {
    SolrMetricsContext context = getSolrMetricsContext();
    String[] path = {getCategory().toString(), getName(), model};
    if (context == null) { // not registered (e.g. a component used outside a core)
      return new EmbeddingModel.Metrics(new Counter(), new Counter(), new Counter(), new Counter(),
          new Histogram(new SlidingWindowReservoir(1024)), new Timer(), new Timer(), new Counter(),
          new Counter());
    }
    return new EmbeddingModel.Metrics(
        context.counter("documentsEmbedded", path),
        context.counter("queriesEmbedded", path),
        context.counter("queryCacheHits", path),
        context.counter("queryVectorsReceived", path),
        context.histogram("documentBatchSize", path),
        context.timer("documentEmbedTime", path),
        context.timer("queryEmbedTime", path),
        context.counter("queryModelSwitches", path),
        context.counter("queryModelRefusals", path));
  }

  /**
   * Counts a document model this core does not serve although configuration names it (the
   * configset's path, or a changed collection property): the recorded one serves instead.
   */
  private void countOverride(String model) {
    SolrMetricsContext context = getSolrMetricsContext();
    if (context != null) {
      context.counter("documentModelOverrides", getCategory().toString(), getName(), model).inc();
    }
  }

  /** What a core serves, by fingerprint, so a switch can be verified replica by replica. */
  private void gauges(EmbeddingModel model) {
    SolrMetricsContext context = getSolrMetricsContext();
    if (context == null) {
      return;
    }
    String[] path = {getCategory().toString(), getName(), model.name()};
    context.gauge(() -> model.manifest().fingerprint(), true, "documentModel", path);
    context.gauge(() -> model.queryManifest().fingerprint(), true, "queryModel", path);
    context.gauge(model::refusal, true, "queryModelRefused", path);
  }

  private static SolrException configError(String model, String message) {
    return new SolrException(ErrorCode.SERVER_ERROR, "model '" + model + "' " + message);
  }
}
