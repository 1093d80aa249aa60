package dev.whetstone.mine;

import dev.whetstone.data.BeirDocument;
import dev.whetstone.filter.AuditLog;
import dev.whetstone.filter.EmbeddingScorer;
import dev.whetstone.filter.FalseNegativeRules;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.EmbeddingCache;
import dev.whetstone.retrieval.QueryVectors;
import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * The retrieval set-up that training, {@code whetstone mine} and calibration share: the model's
 * encoder, the corpus embedded by it (through the vector cache) as a {@link DenseIndex}, the
 * {@link QueryVectors} of the queries, the teacher scorer of the false-negative rules, and the
 * {@link FilterChain} with its {@link AuditLog}. Built in steps, so each caller keeps its order of
 * console output: {@link #load} the encoder, {@link #embedCorpus}, then queries, teacher and
 * filters.
 *
 * <p>The teacher rule, the same for every command:
 *
 * <ul>
 *   <li>{@value #NO_TEACHER}: no teacher;
 *   <li>{@value #MODEL_AS_TEACHER}, or a name that denotes the model itself (its folder in the
 *       models directory, {@code modelsDir/NAME} with the name trimmed and lower-cased as
 *       pretrained names are matched, is the model's directory): the model scores with its own
 *       document and query vectors; no second copy is loaded and nothing is embedded again;
 *   <li>any other name: that pretrained model, imported into the models directory if missing, the
 *       corpus and the queries embedded by it up front through the cache.
 * </ul>
 *
 * A model naming itself as teacher thus gets the scores a second copy would give (the cache holds
 * the same vectors for the same manifest), without loading one.
 *
 * <p>A query tower (a query-only model) embeds the queries; the corpus is embedded by the document
 * model it pairs with, as Solr's index holds it ({@link #load(ModelDirectory, ModelDirectory,
 * String, EmbeddingCache, Path, PrintStream)}).
 */
public final class RetrievalSetup implements AutoCloseable {
  /** The teacher name that means the model itself. */
  public static final String MODEL_AS_TEACHER = "model";
  /** The teacher name that switches the teacher's rules off. */
  public static final String NO_TEACHER = "none";

  private final ModelDirectory model;
  private final String name;
  private final Encoder encoder;
  private final Encoder documentEncoder;
  private final EmbeddingCache cache;
  private final Path modelsDir;
  private final PrintStream out;
  private List<BeirDocument> corpus;
  private List<String> documentIds;
  private float[][] documentVectors;
  private DenseIndex index;

  private RetrievalSetup(ModelDirectory model, String name, Encoder encoder,
      Encoder documentEncoder, EmbeddingCache cache, Path modelsDir, PrintStream out) {
    this.model = model;
    this.name = name;
    this.encoder = encoder;
    this.documentEncoder = documentEncoder;
    this.cache = cache;
    this.modelsDir = modelsDir;
    this.out = out;
  }

  /**
   * Loads the model's encoder, for both sides; closing the set-up closes it.
   *
   * @param name the model's name in scorer names and the audit (e.g. the {@code --model} given)
   * @param modelsDir where pretrained teachers are kept; null when only the model itself may teach
   * @param out where a pretrained teacher's embedding is announced
   */
  public static RetrievalSetup load(ModelDirectory model, String name, EmbeddingCache cache,
      Path modelsDir, PrintStream out) throws IOException {
    return load(model, null, name, cache, modelsDir, out);
  }

  /**
   * Loads a model that embeds the queries and the document model that embeds the corpus: the two
   * Solr serves together. {@code documentModel} null, or the model itself, means one model for
   * both sides.
   *
   * @throws IllegalArgumentException when {@code documentModel} is not the one the model pairs
   *     with (its {@code documentTowerFingerprint}, or its own fingerprint), or when a query-only
   *     model comes without its document model
   */
  public static RetrievalSetup load(ModelDirectory model, ModelDirectory documentModel,
      String name, EmbeddingCache cache, Path modelsDir, PrintStream out) throws IOException {
    String paired = model.manifest().pairedDocumentFingerprint();
    if (documentModel == null || documentModel.manifest().fingerprint().equals(
        model.manifest().fingerprint())) {
      if (!paired.equals(model.manifest().fingerprint())) {
        throw new IllegalArgumentException("model " + model.path() + " embeds queries only; it "
            + "pairs with document model " + paired + ": give that model's directory too");
      }
      Encoder encoder = Encoder.load(model);
      return new RetrievalSetup(model, name, encoder, encoder, cache, modelsDir, out);
    }
    if (!documentModel.manifest().fingerprint().equals(paired)) {
      throw new IllegalArgumentException("document model " + documentModel.path() + " ("
          + documentModel.manifest().fingerprint() + ") is not the one model " + model.path()
          + " pairs with (" + paired + ")");
    }
    Encoder documentEncoder = Encoder.load(documentModel);
    try {
      return new RetrievalSetup(model, name, Encoder.load(model), documentEncoder, cache,
          modelsDir, out);
    } catch (IOException | RuntimeException e) {
      documentEncoder.close();
      throw e;
    }
  }

  /** The model's encoder: the one that embeds the queries. */
  public Encoder encoder() {
    return encoder;
  }

  public EmbeddingCache cache() {
    return cache;
  }

  /**
   * Embeds the corpus with the document model (through the cache); returns its exact-search
   * index.
   */
  public DenseIndex embedCorpus(List<BeirDocument> corpus) throws IOException {
    this.corpus = List.copyOf(corpus);
    this.documentIds = corpus.stream().map(BeirDocument::id).toList();
    this.documentVectors = cache.documents(documentEncoder, corpus);
    this.index = new DenseIndex(documentIds, documentVectors);
    return index;
  }

  /** The corpus as the document model embeds it, exact search. */
  public DenseIndex index() {
    return Objects.requireNonNull(index, "embedCorpus first");
  }

  /** The index dense mining searches: an HNSW graph over the same vectors, or {@link #index}. */
  public DenseIndex searchIndex(boolean hnsw) throws IOException {
    return hnsw ? DenseIndex.withHnsw(documentIds, documentVectors) : index();
  }

  /** The model's vectors of query texts, in order (through the cache). */
  public float[][] queryVectors(List<String> texts) throws IOException {
    return cache.queries(encoder, texts);
  }

  /** Query vectors holding these, embedding any other text with the model when asked. */
  public QueryVectors queries(List<String> texts, float[][] vectors) {
    QueryVectors queries = new QueryVectors(encoder::encodeQueries);
    queries.put(texts, vectors);
    return queries;
  }

  /** The texts' query vectors, embedded up front through the cache. */
  public QueryVectors queries(List<String> texts) throws IOException {
    return queries(texts, queryVectors(texts));
  }

  /** The model itself as a scorer: its query vectors against its document index. */
  public RelevanceScorer scorer(QueryVectors queries) {
    return new EmbeddingScorer(name, index(), queries);
  }

  /** Whether {@code teacher} means the model itself (see the class comment). */
  public boolean isModel(String teacher) {
    return denotesModel(teacher, modelsDir, model.path());
  }

  /**
   * The rule of the class comment: {@value #MODEL_AS_TEACHER}, or a name whose folder in {@code
   * modelsDir} (null: none) is {@code modelDir}.
   */
  static boolean denotesModel(String teacher, Path modelsDir, Path modelDir) {
    if (MODEL_AS_TEACHER.equals(teacher)) {
      return true;
    }
    if (modelsDir == null || teacher == null || NO_TEACHER.equals(teacher)) {
      return false;
    }
    try {
      Path named = modelsDir.resolve(teacher.trim().toLowerCase(Locale.ROOT));
      return named.toAbsolutePath().normalize().equals(modelDir.toAbsolutePath().normalize());
    } catch (InvalidPathException e) {
      return false;
    }
  }

  /**
   * The directory of the teacher the rule of the class comment names: null for {@value
   * #NO_TEACHER}, {@code model} for the model itself, else the pretrained model's (imported into
   * {@code modelsDir} if missing). For a step that runs before the model's own vectors exist.
   */
  public static ModelDirectory teacherDirectory(String teacher, Path modelsDir,
      ModelDirectory model) throws IOException {
    if (NO_TEACHER.equals(teacher)) {
      return null;
    }
    if (denotesModel(teacher, modelsDir, model.path())) {
      return model;
    }
    if (modelsDir == null) {
      throw new IllegalArgumentException("no pretrained teacher here, got '" + teacher + "'");
    }
    return ModelCache.ensure(modelsDir, teacher);
  }

  /**
   * The teacher by the rule of the class comment: null for {@value #NO_TEACHER}, the model itself
   * scoring with {@code ownQueries}, or a pretrained model with {@code queryTexts} embedded up
   * front.
   */
  public RelevanceScorer teacher(String teacher, List<String> queryTexts, QueryVectors ownQueries)
      throws IOException {
    if (NO_TEACHER.equals(teacher)) {
      return null;
    }
    if (isModel(teacher)) {
      return scorer(ownQueries);
    }
    if (modelsDir == null) {
      throw new IllegalArgumentException("no pretrained teacher here, got '" + teacher + "'");
    }
    return EmbeddingScorer.pretrained(teacher, modelsDir, Objects.requireNonNull(corpus,
        "embedCorpus first"), queryTexts, cache, out);
  }

  /**
   * The enabled rules as a chain, with the audit log its removals go to.
   *
   * @param auditScorer scores removals whose rule did not; null for none
   * @param auditFile the audit log; null for none (removals only counted)
   */
  public Filters filters(FalseNegativeRules rules, RelevanceScorer auditScorer, Path auditFile,
      AuditLog.Mode auditMode) throws IOException {
    AuditLog audit = auditFile == null ? null : AuditLog.create(auditFile, auditMode);
    return new Filters(new FilterChain(rules.enabled(), auditScorer, audit), audit);
  }

  /** A filter chain and the audit log it writes to (null when none); closing closes the log. */
  public record Filters(FilterChain chain, AuditLog audit) implements AutoCloseable {
    @Override
    public void close() throws IOException {
      if (audit != null) {
        audit.close();
      }
    }
  }

  @Override
  public void close() {
    encoder.close();
    if (documentEncoder != encoder) {
      documentEncoder.close();
    }
  }
}
