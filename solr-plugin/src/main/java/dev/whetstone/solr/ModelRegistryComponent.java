package dev.whetstone.solr;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelManifest;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
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
 * <searchComponent name="embeddings" class="dev.whetstone.solr.ModelRegistryComponent">
 *   <lst name="models">
 *     <lst name="minilm"><str name="path">all-minilm-l6-v2</str></lst>
 *   </lst>
 * </searchComponent>
 * }</pre>
 *
 * and listed in the search handler's {@code last-components}, so that in SolrCloud the text of a
 * {@code {!embed}} or {@code {!hybrid}} query is embedded once, on the coordinator.
 *
 * <p>A model whose query tower's directory (the {@code queryPath} one when declared, else {@code
 * path}) holds a {@code calibration.json} serves {@code minRelevance} and relevance scores; one
 * fitted for other towers fails the model's loading, naming the file and both fingerprints.
 */
public class ModelRegistryComponent extends SearchComponent implements SolrCoreAware {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());

  private NamedList<?> modelArgs;
  private String modelsDirArg;
  private final Map<String, EmbeddingModel> models = new LinkedHashMap<>();

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
    modelArgs = named;
  }

  @Override
  public void inform(SolrCore core) {
    Path modelsDir = modelsDir(core);
    Path configDir = core.getResourceLoader().getConfigPath();
    List<SharedEncoders.Entry> acquired = new ArrayList<>();
    core.addCloseHook(new CloseHook() {
      @Override
      public void postClose(SolrCore closed) {
        acquired.forEach(SharedEncoders::release);
      }
    });
    for (Map.Entry<String, ?> declared : modelArgs) {
      String name = declared.getKey();
      if (!(declared.getValue() instanceof NamedList<?> params)) {
        throw configError(name, "must be a <lst> of model settings");
      }
      CheckedParams settings = CheckedParams.ofConfig(params, message -> configError(name, message));
      Path dir = resolveModelDir(name,
          settings.required(WhetstoneParams.PATH, "the model directory"), modelsDir, configDir);
      String queryPath = settings.get(WhetstoneParams.QUERY_PATH);
      // blank (e.g. an unset ${property:}) means the document model embeds queries too
      Path queryDir = queryPath == null || queryPath.isBlank() ? null
          : resolveModelDir(name, queryPath.trim(), modelsDir, configDir);
      Encoder.Placement placement =
          settings.choice(WhetstoneParams.DEVICE, Encoder.Placement.class, Encoder.Placement.CPU);
      int threads = settings.nonNegativeInt(WhetstoneParams.THREADS, 0);
      int cacheSize = settings.nonNegativeInt(WhetstoneParams.QUERY_CACHE_SIZE, 1000);
      try {
        SharedEncoders.Entry documents = SharedEncoders.acquire(dir, placement, threads);
        acquired.add(documents);
        SharedEncoders.Entry queries = documents;
        if (queryDir != null) {
          queries = SharedEncoders.acquire(queryDir, placement, threads);
          acquired.add(queries);
        }
        checkPairing(name, dir, documents.encoder.manifest(), queryDir,
            queries.encoder.manifest());
        // read per core, not node-wide, so a core reload picks up a refitted calibration
        CosineAdapter calibration = CosineAdapter.forModel(queryDir == null ? dir : queryDir,
            queries.encoder.manifest()).orElse(null);
        models.put(name, new EmbeddingModel(name, documents, queries, queries.queryCache(cacheSize),
            metrics(name), calibration));
        log.info("Model '{}' from {} on {} (fingerprint {}){}{}", name, dir,
            documents.encoder.placement(), documents.encoder.manifest().fingerprint(),
            queryDir == null ? "" : ", queries by " + queryDir + " (fingerprint "
                + queries.encoder.manifest().fingerprint() + ")",
            calibration == null ? "" : ", calibrated (" + calibration.map().label()
                + " map, default minRelevance " + calibration.threshold() + ")");
      } catch (IOException | RuntimeException e) {
        throw new SolrException(ErrorCode.SERVER_ERROR,
            "model '" + name + "' cannot be loaded from " + dir + ": " + e.getMessage(), e);
      }
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
   * fetches alike), so no shard embeds the text again.
   */
  @Override
  public void modifyRequest(ResponseBuilder rb, SearchComponent who, ShardRequest sreq) {
    Map<String, float[]> vectors = EmbeddingModel.forwardedVectors(rb.req);
    if (vectors.isEmpty()) {
      return;
    }
    ModifiableSolrParams params = sreq.params;
    params.remove(WhetstoneParams.QUERY_VECTOR);
    vectors.forEach((key, vector) ->
        params.add(WhetstoneParams.QUERY_VECTOR, EmbeddingModel.encodeParam(key, vector)));
  }

  @Override
  public void prepare(ResponseBuilder rb) {
    // also covers requests whose query parsers never read them
    InternalParams.refuseFromClient(rb.req);
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

  /**
   * A model directory inside the models directory or the configset's conf folder; any other path is
   * refused, so a configset cannot make a node read arbitrary files.
   */
  static Path resolveModelDir(String name, String path, Path modelsDir, Path configDir) {
    List<Path> roots = new ArrayList<>();
    roots.add(modelsDir);
    if (configDir != null && Files.isDirectory(configDir)) {
      roots.add(configDir.toAbsolutePath().normalize());
    }
    for (Path root : roots) {
      Path candidate = root.resolve(path).normalize();
      if (!candidate.startsWith(root)) {
        continue;
      }
      if (Files.isDirectory(candidate)) {
        try {
          if (candidate.toRealPath().startsWith(root.toRealPath())) {
            return candidate;
          }
        } catch (IOException e) {
          // unreadable: try the next root
        }
      }
    }
    throw configError(name, "path '" + path + "' is not a model directory inside " + roots
        + " (paths outside them are refused)");
  }

  private EmbeddingModel.Metrics metrics(String model) {
    SolrMetricsContext context = getSolrMetricsContext();
    String[] path = {getCategory().toString(), getName(), model};
    if (context == null) { // not registered (e.g. a component used outside a core)
      return new EmbeddingModel.Metrics(new Counter(), new Counter(), new Counter(), new Counter(),
          new Histogram(new SlidingWindowReservoir(1024)), new Timer(), new Timer());
    }
    return new EmbeddingModel.Metrics(
        context.counter("documentsEmbedded", path),
        context.counter("queriesEmbedded", path),
        context.counter("queryCacheHits", path),
        context.counter("queryVectorsReceived", path),
        context.histogram("documentBatchSize", path),
        context.timer("documentEmbedTime", path),
        context.timer("queryEmbedTime", path));
  }

  private static SolrException configError(String model, String message) {
    return new SolrException(ErrorCode.SERVER_ERROR, "model '" + model + "' " + message);
  }
}
