package dev.whetstone.train;

import dev.whetstone.clicks.ClickJudgments;
import dev.whetstone.clicks.ClickLog;
import dev.whetstone.clicks.Impression;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.data.SolrCorpus;
import dev.whetstone.filter.EmbeddingScorer;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.mine.RetrievalSetup;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.retrieval.EmbeddingCache;
import dev.whetstone.rollout.SolrAdmin;
import dev.whetstone.data.TrainingSplits;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The corpus (from the BEIR folder or the live Solr collection), the query texts, and the
 * train/dev/test judgments, checked against each other up front.
 *
 * @param indexedVectors the corpus's vectors as the live collection indexed them with the base
 *     model (query-tower mode reads them instead of embedding the corpus again); null otherwise
 * @param clickTeacher the teacher that scored every query text of the click log for the noise
 *     model, which mining reuses; null without clicks or without a teacher
 */
record TrainingData(List<BeirDocument> corpus, Map<String, String> queries, TrainingSplits splits,
    Map<String, String> documentTexts, float[][] indexedVectors, ClickJudgments clicks,
    RelevanceScorer clickTeacher) {

  static TrainingData load(BeirDataset dataset, TrainingConfig config, PrintStream out)
      throws IOException {
    SolrCorpus.Indexed read = config.solrUrl() == null
        ? new SolrCorpus.Indexed(dataset.corpus(), null) : readCollection(config, out);
    List<BeirDocument> corpus = read.documents();
    Map<String, String> texts = new HashMap<>();
    for (BeirDocument document : corpus) {
      texts.put(document.id(), document.embeddingText());
    }
    Map<String, String> queries = new LinkedHashMap<>(
        Files.exists(dataset.queriesFile()) ? dataset.queries() : Map.of());
    ClickJudgments clicks = null;
    RelevanceScorer clickTeacher = null;
    TrainingSplits splits;
    if (config.clicks() == null) {
      splits = TrainingSplits.of(dataset, config.splits(), config.devFraction(), config.seed());
    } else {
      ClickLog log = config.clicks().clickSource().read();
      out.printf("Clicks: %s: %s%n", config.clicks().source(), log.stats());
      clickTeacher = clickTeacher(config, corpus, log.impressions(), out);
      clicks = clickJudgments(config, log.impressions(), clickTeacher, texts::containsKey, out);
      queries.putAll(clicks.queries());
      // the data set's own test judgments, when it has some, still test the result
      Qrels test = TrainingSplits.hasJudgments(dataset)
          ? TrainingSplits.of(dataset, config.splits(), config.devFraction(), config.seed()).test()
          : null;
      splits = new TrainingSplits(clicks.train(), clicks.dev(), test, String.format(Locale.ROOT,
          "train and dev from the clicks in %s (dev: %.0f%% of the query texts, seed %d)%s",
          config.clicks().source(), config.devFraction() * 100, config.seed(),
          test == null ? "" : "; test from " + dataset.dir().resolve("qrels")));
    }
    splits = splits.limitTrain(config.trainQueries());
    TrainingData data = new TrainingData(corpus, queries, splits, texts, read.vectors(), clicks,
        clickTeacher);
    String judgments = (clicks != null ? config.clicks().source() : dataset.dir().resolve("qrels"))
        + " (" + splits.origin() + ")";
    data.check("train", splits.train(), judgments);
    data.check("dev", splits.dev(), judgments);
    if (splits.test() != null) {
      data.check("test", splits.test(), judgments);
    }
    return data;
  }

  /**
   * The collection's corpus; in query-tower mode with the vectors it indexed, when the collection
   * records the base model as its document model (else they would be another model's).
   */
  private static SolrCorpus.Indexed readCollection(TrainingConfig config, PrintStream out)
      throws IOException {
    out.printf("Reading the corpus of collection '%s' at %s%n", config.solrCollection(),
        config.solrUrl());
    try (SolrAdmin admin = new SolrAdmin(config.solrUrl())) {
      SolrCorpus corpus = new SolrCorpus(admin.client(), config.solrCollection());
      if (config.mode() != TrainingMode.QUERY_TOWER) {
        return new SolrCorpus.Indexed(corpus.read(out), null);
      }
      String base = ModelManifest.read(config.baseModel().resolve(ModelManifest.FILE_NAME))
          .fingerprint();
      Map<String, String> recorded = new TreeMap<>();
      admin.collectionProperties(admin.resolve(config.solrCollection())).forEach((key, value) -> {
        if (key.startsWith("whetstone.") && key.endsWith(".documentModel")) {
          recorded.put(key, value);
        }
      });
      if (!recorded.containsValue(base)) {
        out.printf("The collection records document model(s) %s, not the base model %s: its "
            + "indexed vectors are not used, the corpus is embedded here%n", recorded, base);
        return new SolrCorpus.Indexed(corpus.read(out), null);
      }
      SolrCorpus.Indexed indexed = corpus.readIndexed(SolrCorpus.VECTOR_FIELD, out);
      out.printf("Read the %d vectors the collection indexed with the base model %s: the corpus "
          + "is not embedded again%n", indexed.vectors().length, base);
      return indexed;
    }
  }

  private void check(String split, Qrels qrels, String file) {
    for (String query : qrels.queryIds()) {
      if (!queries.containsKey(query)) {
        throw new IllegalArgumentException(file + ": query '" + query + "' of the " + split
            + " split is not in the queries file");
      }
      if (queries.get(query) == null || queries.get(query).isBlank()) {
        throw new IllegalArgumentException("query '" + query + "' of the " + split + " split has "
            + "no text in the queries file: give it one, or remove its judgments from " + file);
      }
      for (String doc : qrels.judgments(query).keySet()) {
        if (!documentTexts.containsKey(doc)) {
          throw new IllegalArgumentException(file + ": document '" + doc + "' judged for query '"
              + query + "' is not in the corpus (" + corpus.size() + " documents)");
        }
      }
    }
  }

  /**
   * Click judgments from the configured log, its propensities estimated from the log itself, its
   * noise judged with the teacher's help.
   */
  private static ClickJudgments clickJudgments(TrainingConfig config, List<Impression> log,
      RelevanceScorer teacher, java.util.function.Predicate<String> inCorpus, PrintStream out) {
    ClickJudgments clicks = config.clicks().judgments(log, config.devFraction(), config.seed(),
        inCorpus, teacher, out);
    out.printf("Clicks: %d query texts with clicks to train on, %d held out as dev%s%n",
        clicks.train().queryIds().size(), clicks.dev().queryIds().size(),
        clicks.droppedDocuments() == 0 ? "" : "; " + clicks.droppedDocuments()
            + " clicked documents are not in the corpus and were left out");
    if (clicks.train().queryIds().isEmpty() || clicks.dev().queryIds().isEmpty()) {
      throw new IllegalArgumentException(config.clicks().source() + ": the clicks leave no query "
          + "to train on or none to judge the model on (" + clicks.train().queryIds().size()
          + " train, " + clicks.dev().queryIds().size() + " dev query texts)");
    }
    return clicks;
  }

  /**
   * The teacher of the false-negative rules ({@code --teacher}) scoring every query text of the
   * log, for the click noise model and then for mining (its queries are among the log's); null
   * for none.
   */
  private static RelevanceScorer clickTeacher(TrainingConfig config, List<BeirDocument> corpus,
      List<Impression> log, PrintStream out) throws IOException {
    String teacher = config.mining().teacher();
    ModelDirectory base = ModelDirectory.open(config.baseModel());
    ModelDirectory directory = RetrievalSetup.teacherDirectory(teacher, config.modelsDir(), base);
    if (directory == null) {
      out.println("Clicks: no teacher (--teacher " + teacher + "), so no noise model: the Wilson "
          + "bound alone grades the clicked documents");
      return null;
    }
    List<String> texts = log.stream().map(Impression::queryText).distinct().toList();
    return EmbeddingScorer.embedded(directory, directory == base ? base.manifest().name() : teacher,
        corpus, texts, new EmbeddingCache(config.workDir().resolve("vectors"), out), out);
  }

  /**
   * How often a training positive is drawn, relative to its query's others: its click weight when
   * training from clicks, else its grade.
   */
  double positiveWeight(String queryId, String docId) {
    return clicks != null ? clicks.weights().get(queryId).get(docId)
        : splits.train().judgments(queryId).get(docId);
  }

  /** Documents known not to answer a training query: shown above a click and skipped. */
  List<String> knownNegatives(String queryId) {
    return clicks == null ? List.of() : clicks.skipAbove().getOrDefault(queryId, List.of());
  }

  List<String> documentIds() {
    return corpus.stream().map(BeirDocument::id).toList();
  }

  List<String> documentTextList() {
    return corpus.stream().map(BeirDocument::embeddingText).toList();
  }

  /** Query id → text for the queries a split judges, in the split's order. */
  Map<String, String> queryTexts(Qrels qrels) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String query : qrels.queryIds()) {
      texts.put(query, queries.get(query));
    }
    return texts;
  }
}
