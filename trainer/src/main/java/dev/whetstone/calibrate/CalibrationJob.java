package dev.whetstone.calibrate;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.data.TrainingSplits;
import dev.whetstone.filter.FalseNegativeRules;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.filter.PositiveAwareMarginFilter;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.mine.RetrievalSetup;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.EmbeddingCache;
import dev.whetstone.retrieval.LabeledQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Calibrates a model directory on a data set: embeds the corpus (with the document model Solr's
 * index holds) and the judged queries (through the cache), labels each query's top hits, fits the
 * adapter on train, chooses on dev and writes {@value CosineAdapter#FILE_NAME} into the model
 * directory. The false-negative rule is the
 * trainer's default relative margin, scored by the model itself. The encoder, index, query vectors
 * and rule come from the {@link RetrievalSetup} training and mining use.
 */
public final class CalibrationJob {
  /** Hits per query: the kNN depth the adapter is fitted for ({@code topK=100}). */
  public static final int DEPTH = 100;

  private final EmbeddingCache cache;
  private final Float relativeMargin;
  private final long seed;
  private final PrintStream out;

  /** @param relativeMargin the false-negative margin; null to take every unjudged hit as negative */
  public CalibrationJob(EmbeddingCache cache, Float relativeMargin, long seed, PrintStream out) {
    this.cache = cache;
    this.relativeMargin = relativeMargin;
    this.seed = seed;
    this.out = out;
  }

  /**
   * What a run fitted and the hits it was measured on; closing it closes the models it embedded
   * with.
   */
  public record Outcome(CosineAdapter adapter, CosineAdapter platt, List<Calibrator.Fitted> forms,
      List<LabeledHits> train, List<LabeledHits> dev, List<LabeledHits> test, HitCollector hits,
      RetrievalSetup retrieval) implements AutoCloseable {
    @Override
    public void close() {
      retrieval.close();
    }
  }

  /**
   * Fits and writes the calibration; returns the outcome with its models still open (the caller
   * closes it) for off-topic measurements.
   *
   * @param documentModel the document model a query-only {@code model} pairs with, whose vectors
   *     Solr's index holds; null when {@code model} embeds both sides
   * @param texts query id → text for every query the splits judge (the data set's, or a click
   *     log's)
   */
  public Outcome run(ModelDirectory model, ModelDirectory documentModel, BeirDataset dataset,
      TrainingSplits splits, Map<String, String> texts) throws IOException {
    ModelManifest manifest = model.manifest();
    if (!Set.of("cosine", "dot_product").contains(manifest.similarity())) {
      throw new IllegalArgumentException("calibration maps cosine scores; model '"
          + manifest.name() + "' is for " + manifest.similarity() + " similarity");
    }
    RetrievalSetup retrieval = RetrievalSetup.load(model, documentModel, manifest.name(), cache,
        null, out);
    try {
      List<BeirDocument> corpus = dataset.corpus();
      out.printf("Calibrating %s on %s (%s)%n", manifest.name(), dataset.name(), splits.origin());
      DenseIndex index = retrieval.embedCorpus(corpus);
      HitCollector collector = new HitCollector(index, DEPTH);
      EmbeddedQueries trainQueries = embed(retrieval, splits.train(), texts);
      List<LabeledHits> train = collector.collect(splits.train(), trainQueries.byId(), texts,
          rules(retrieval, trainQueries));
      List<LabeledHits> dev = collector.collect(splits.dev(),
          embed(retrieval, splits.dev(), texts).byId(), texts, null);
      List<LabeledHits> test = splits.test() == null ? List.of()
          : collector.collect(splits.test(), embed(retrieval, splits.test(), texts).byId(), texts,
              null);
      out.printf("Calibration pairs: %d train, %d dev, %d test queries%n", train.size(), dev.size(),
          test.size());
      Calibrator calibrator = new Calibrator(seed, out);
      String queryFingerprint = manifest.fingerprint();
      String documentFingerprint = manifest.pairedDocumentFingerprint();
      Calibrator.Choice choice = calibrator.fit(train, dev, queryFingerprint, documentFingerprint);
      CosineAdapter platt = calibrator.platt(train, dev, queryFingerprint, documentFingerprint);
      out.printf(Locale.ROOT, "Calibration: global Platt scaling (no query dependence), dev log "
          + "loss %.4f%n", Calibrator.logLoss(dev, Calibrator.relevance(platt, dev)));
      choice.chosen().write(model.path().resolve(CosineAdapter.FILE_NAME));
      out.printf("Calibration: %s map, default threshold %.4f, written to %s%n",
          choice.chosen().map().label(), choice.chosen().threshold(),
          model.path().resolve(CosineAdapter.FILE_NAME));
      return new Outcome(choice.chosen(), platt, choice.forms(), train, dev, test, collector,
          retrieval);
    } catch (IOException | RuntimeException e) {
      retrieval.close();
      throw e;
    }
  }

  /** Another data set's queries, embedded by the outcome's query model, as off-topic hits. */
  public List<LabeledHits> offTopic(Outcome outcome, BeirDataset foreign) throws IOException {
    List<String> ids = new ArrayList<>(foreign.queries().keySet());
    List<String> texts = ids.stream().map(foreign.queries()::get).toList();
    return outcome.hits().offTopic(
        new EmbeddedQueries(ids, texts, outcome.retrieval().queryVectors(texts)).byId());
  }

  /** Queries' ids and texts, in one order, with their vectors. */
  private record EmbeddedQueries(List<String> ids, List<String> texts, float[][] vectors) {
    Map<String, float[]> byId() {
      Map<String, float[]> byId = new LinkedHashMap<>();
      for (int i = 0; i < ids.size(); i++) {
        byId.put(ids.get(i), vectors[i]);
      }
      return byId;
    }
  }

  /** The judged queries of {@code qrels}, embedded (through the cache). */
  private EmbeddedQueries embed(RetrievalSetup retrieval, Qrels qrels, Map<String, String> texts)
      throws IOException {
    List<LabeledQuery> queries = LabeledQuery.judged(qrels, texts);
    List<String> queryTexts = queries.stream().map(LabeledQuery::queryText).toList();
    return new EmbeddedQueries(queries.stream().map(LabeledQuery::queryId).toList(), queryTexts,
        retrieval.queryVectors(queryTexts));
  }

  /**
   * The false-negative rule, scored by the model itself ({@link RetrievalSetup#MODEL_AS_TEACHER})
   * with the train queries' vectors already embedded; removals are counted, not audited.
   */
  private FilterChain rules(RetrievalSetup retrieval, EmbeddedQueries train) throws IOException {
    if (relativeMargin == null) {
      return null;
    }
    RelevanceScorer scorer = retrieval.teacher(RetrievalSetup.MODEL_AS_TEACHER, train.texts(),
        retrieval.queries(train.texts(), train.vectors()));
    return retrieval.filters(new FalseNegativeRules(null,
        new PositiveAwareMarginFilter(scorer, relativeMargin)), null, null, null).chain();
  }
}
