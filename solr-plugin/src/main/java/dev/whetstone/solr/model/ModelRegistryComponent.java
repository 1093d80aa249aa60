package dev.whetstone.solr.model;

import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.WhetstoneParams;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.CloseHook;
import org.apache.solr.core.SolrCore;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardRequest;
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
 *
 * <p>The component only wires its parts: {@link DeclaredModel} reads the declaration, {@link
 * ModelLocator} finds model directories (inside the models or conf directory only), {@link
 * TowerLoader} loads towers that {@link TowerPairing} accepts, {@link ServedModels} holds and
 * releases them, {@link QueryTowerSwitcher} follows the collection's properties, {@link
 * RegistryMetrics} reports, and {@link InternalParams} forwards and checks query vectors.
 */
public class ModelRegistryComponent extends SearchComponent implements SolrCoreAware {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());

  private String modelsDirArg;
  private List<DeclaredModel> declared = List.of();
  private final ServedModels models = new ServedModels();
  private final RegistryMetrics metrics = new RegistryMetrics(this);
  private CollectionModels collection;
  private QueryTowerSwitcher switcher;

  @Override
  public void init(NamedList<?> args) {
    super.init(args);
    Object dir = args.get(WhetstoneParams.MODELS_DIR);
    modelsDirArg = dir == null ? null : dir.toString().trim();
    declared = DeclaredModel.parse(args, getName());
  }

  @Override
  public void inform(SolrCore core) {
    ModelLocator locator = ModelLocator.forCore(core, modelsDirArg);
    collection = CollectionModels.of(core);
    core.addCloseHook(new CloseHook() {
      @Override
      public void postClose(SolrCore closing) {
        releaseModels();
      }
    });
    TowerLoader loader = new TowerLoader(locator, collection, metrics);
    Map<String, String> recorded = collectionProperties();
    Map<String, String> followed = new HashMap<>();
    for (DeclaredModel model : declared) {
      try {
        SharedEncoders.Entry documents = loader.loadDocumentModel(model, recorded, core);
        models.holdDocuments(documents);
        String queryModel = recorded.get(CollectionModels.queryModelKey(model.name()));
        EmbeddingModel.QueryTower tower = loader.loadQueryTower(model, documents, queryModel);
        followed.put(model.name(), queryModel);
        EmbeddingModel embedding =
            new EmbeddingModel(model.name(), documents, tower, metrics.forModel(model.name()));
        models.put(embedding);
        metrics.gauges(embedding);
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
      switcher = new QueryTowerSwitcher(core.getName(), declared, models, loader, collection,
          metrics, followed);
      switcher.start();
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

  private void releaseModels() {
    if (collection != null) {
      collection.close();
    }
    if (switcher != null) {
      switcher.stop();
    }
    models.release();
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
      declared.addAll(registry.models.names());
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
}
