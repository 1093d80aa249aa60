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
  /**
   * Optional query tower trained against {@link #PATH}'s document vectors (whetstone train
   * --mode query-tower): queries are embedded with it, documents with PATH. Its manifest names the
   * document model it pairs with; a mismatch fails the core load.
   */
  public static final String QUERY_PATH = "queryPath";
  /** {@code cpu} (default) or {@code gpu}. */
  public static final String DEVICE = "device";
  /** ONNX Runtime intra-op threads; 0 (default): one per processor available to the JVM. */
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
   * Longest text (characters, input fields joined) a document may bring (default 1,000,000): the
   * model reads only its first maxLength tokens, and a longer text is refused with a 400 rather
   * than tokenized whole.
   */
  public static final String MAX_TEXT_CHARS = "maxTextChars";

  // --- {!embed} and {!hybrid} query parsers; local params, falling back to request params ---
  /** The DenseVectorField to search (required); its dimension must be the model's. */
  public static final String VECTOR_FIELD = "f";
  /**
   * Number of nearest neighbours, as in {@code {!knn}}: default 10 for {@code {!embed}}, 100 for
   * the dense side of {@code {!hybrid}}.
   */
  public static final String TOP_K = "topK";

  /**
   * Keeps only the dense hits whose calibrated relevance (the model's Cosine Adapter,
   * calibration.json) reaches this threshold, a number in (0, 1); {@link #DEFAULT_MIN_RELEVANCE}
   * takes the threshold fitted with the calibration. For {@code {!hybrid}} it filters the dense
   * side's candidates before fusion. A model without calibration refuses it with a 400.
   */
  public static final String MIN_RELEVANCE = "minRelevance";
  /** The value of {@link #MIN_RELEVANCE} that asks for the calibration's own threshold. */
  public static final String DEFAULT_MIN_RELEVANCE = "default";

  // --- {!embed} only ---
  /**
   * What a hit's score is: {@code similarity} (default, Lucene's vector score) or {@code
   * relevance} (the calibrated relevance in (0, 1); same order, since the map is monotonic).
   */
  public static final String SCORE = "score";

  // --- {!hybrid} only ---
  /** Text of the lexical side; default: the parser's query text. */
  public static final String LEXICAL_QUERY = "lexicalQuery";
  /** Query parser of the lexical side (default {@code edismax}). */
  public static final String LEXICAL_DEFTYPE = "lexicalDefType";
  /** Passed as {@code qf} to the lexical side's parser. */
  public static final String LEXICAL_QF = "lexicalQf";
  /**
   * Candidates taken from the lexical side (default 100), as {@code reRankDocs} counts the
   * documents a rerank query sees. The dense side's count is {@link #TOP_K}, the kNN topK.
   */
  public static final String LEXICAL_DOCS = "lexicalDocs";
  /** {@code rrf} (default) or {@code linear}. */
  public static final String FUSION = "fusion";
  /** The k of reciprocal rank fusion (default 60). */
  public static final String RRF_K = "rrfK";
  /**
   * Linear fusion's normalization: {@code minmax} (default), {@code zscore}, or {@code relevance}
   * (the dense side contributes its calibrated relevance, the lexical side is min-max normalized).
   */
  public static final String NORMALIZATION = "normalization";
  /** Weight of the lexical side's contributions (default 1.0). */
  public static final String LEXICAL_WEIGHT = "lexicalWeight";
  /** Weight of the dense side's contributions (default 1.0). */
  public static final String DENSE_WEIGHT = "denseWeight";

  // The parameters nodes send each other (whetstone.qv, whetstone.fused, whetstone.fusedFor,
  // whetstone.sig, whetstone.candidates) are named by InternalParams, their only owner.

  // --- UbiComponent: User Behavior Insights (UBI) query log ---
  /** Request parameter: {@code true} logs this request's impression (default false). */
  public static final String UBI = "ubi";
  /** Request parameter: the UBI query id; default: a random UUID, returned in the response. */
  public static final String UBI_QUERY_ID = "query_id";
  /** Request parameter: what the user typed; default: {@code q}. */
  public static final String UBI_USER_QUERY = "user_query";
  /** Request parameter: the UBI client (user or session) id. */
  public static final String UBI_CLIENT_ID = "client_id";
  /** Request parameter: the UBI application name. */
  public static final String UBI_APPLICATION = "application";
  /** Component argument: the collection the queries are indexed into; unset: the log file. */
  public static final String UBI_COLLECTION = "collection";
  /** Component argument: queries waiting to be indexed before new ones are dropped (default 10,000). */
  public static final String UBI_QUEUE_SIZE = "queueSize";
}
