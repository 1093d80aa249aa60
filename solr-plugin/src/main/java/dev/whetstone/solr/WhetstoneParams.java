package dev.whetstone.solr;

/** Names of the parameters Whetstone's Solr plugins read, in solrconfig.xml and in requests. */
public final class WhetstoneParams {
  private WhetstoneParams() {}

  // --- model registry (ModelRegistryComponent, solrconfig.xml) ---
  /** Folder holding model directories; default: system property whetstone.models.dir, else SOLR_HOME/models. */
  public static final String MODELS_DIR = "modelsDir";
  public static final String MODELS_DIR_PROPERTY = "whetstone.models.dir";
  /** The {@code <lst name="models">} list: one {@code <lst name="NAME">} per model. */
  public static final String MODELS = "models";
  /** A model's directory, relative to the models directory or the configset's conf folder. */
  public static final String PATH = "path";
  /** {@code cpu} (default) or {@code gpu}. */
  public static final String DEVICE = "device";
  /** ONNX Runtime intra-op threads; 0 (default) lets ONNX Runtime choose. */
  public static final String THREADS = "threads";
  /** Entries of the node's query-embedding LRU cache for this model (default 1000, 0 disables). */
  public static final String QUERY_CACHE_SIZE = "queryCacheSize";

  // --- shared by the update processor and the query parsers ---
  /** Name of a model declared in the registry. */
  public static final String MODEL = "model";

  // --- EmbeddingUpdateProcessorFactory ---
  public static final String INPUT_FIELDS = "inputFields";
  public static final String OUTPUT_FIELD = "outputField";
  public static final String BATCH_SIZE = "batchSize";
  public static final String SKIP_EXISTING = "skipExisting";

  /**
   * Request parameter that carries query vectors embedded on the coordinator to the shards: one
   * value per vector, {@code FINGERPRINT:TEXTHASH:BASE64}.
   */
  public static final String QUERY_VECTOR = "whetstone.qv";
}
