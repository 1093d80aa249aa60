package dev.whetstone.train;

import dev.whetstone.batch.BatchSampler;
import dev.whetstone.batch.DistinctQueryBatchSampler;
import dev.whetstone.batch.QueryPool;
import dev.whetstone.batch.TopicBalancedBatchSampler;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.filter.InBatchMask;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.mine.HardNegativeMiner;
import dev.whetstone.mine.MinedQuery;
import dev.whetstone.mine.RetrievalSetup;
import dev.whetstone.retrieval.Bm25Sources;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.DenseSource;
import dev.whetstone.retrieval.LabeledQuery;
import dev.whetstone.retrieval.QueryVectors;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * The mining side of a training run: BM25 and dense candidate sources, the false-negative rules
 * (counted and audited), the in-batch mask and the batch sampler, and re-mining with the updating
 * model (ANCE / ADORE).
 */
final class Mining implements AutoCloseable {
  private final TrainingConfig config;
  private final TrainingData data;
  private final CandidateSource bm25;
  private final PrintStream out;
  private final RetrievalSetup retrieval;
  private final RetrievalSetup.Filters filters;
  private final RelevanceScorer teacher;
  private final FilterChain chain;
  private final InBatchMask mask;
  private final BatchSampler sampler;
  private final List<LabeledQuery> queries;
  private final Map<String, float[]> baseQueryVectors;

  Mining(TrainingConfig config, TrainingData data, CandidateSource bm25, RetrievalSetup retrieval,
      PrintStream out) throws IOException {
    this.config = config;
    this.data = data;
    this.bm25 = bm25;
    this.retrieval = retrieval;
    this.out = out;
    this.queries = LabeledQuery.judged(data.splits().train(), data.queries());
    List<String> texts = queries.stream().map(LabeledQuery::queryText).toList();
    float[][] vectors = retrieval.queryVectors(texts);
    this.baseQueryVectors = new LinkedHashMap<>();
    for (int i = 0; i < queries.size(); i++) {
      baseQueryVectors.put(queries.get(i).queryId(), vectors[i]);
    }
    MiningConfig mining = config.mining();
    this.teacher = mining.relativeMargin() != null || mining.guide()
        || config.distillation().enabled()
        ? teacher(retrieval, data, mining.teacher(), texts, vectors) : null;
    this.filters = retrieval.filters(mining.rules(teacher), teacher,
        config.workDir().resolve(mining.audit().defaultFile()), mining.audit());
    this.chain = filters.chain();
    Set<InBatchMask.Rule> maskRules =
        EnumSet.of(InBatchMask.Rule.LABELED_POSITIVE, InBatchMask.Rule.DUPLICATE_TEXT);
    if (mining.guide()) {
      maskRules.add(InBatchMask.Rule.GUIDE);
    }
    Map<String, List<String>> positives = new LinkedHashMap<>();
    queries.forEach(q -> positives.put(q.queryId(), q.positiveIds()));
    this.mask = new InBatchMask(positives, data.documentTexts()::get, teacher, maskRules,
        filters.audit());
    this.sampler = config.topicClusters() > 0
        ? new TopicBalancedBatchSampler(baseQueryVectors,
            config.topicClusters(), config.seed())
        : new DistinctQueryBatchSampler();
  }

  /** BM25 over a Lucene index built with the configset's analysis, or the live collection. */
  static CandidateSource bm25(TrainingConfig config, TrainingData data, PrintStream out)
      throws IOException {
    return Bm25Sources.open(config.solrUrl(), config.solrCollection(),
        config.workDir().resolve("bm25"), data.corpus(), out);
  }

  /** Mines with BM25 and the base model's dense index (an HNSW graph with {@code --hnsw}). */
  List<MinedQuery> mine() throws IOException {
    QueryVectors vectors = new QueryVectors(texts -> {
      throw new IllegalStateException("base query not embedded up front: " + texts);
    });
    vectors.put(queries.stream().map(LabeledQuery::queryText).toList(),
        queries.stream().map(q -> baseQueryVectors.get(q.queryId())).toArray(float[][]::new));
    return mine(new DenseSource("dense", retrieval.searchIndex(config.mining().hnsw()), vectors));
  }

  private List<MinedQuery> mine(DenseSource dense) throws IOException {
    HardNegativeMiner miner = new HardNegativeMiner(List.of(bm25, dense), config.mining().depth(),
        chain).withRandomNegatives(data.documentIds(), config.mining().randomNegatives(),
        config.seed());
    out.printf("Mining negatives for %d training queries%n", queries.size());
    return miner.mine(queries, out);
  }

  /**
   * Re-mines dense negatives with the model being trained: in query-tower mode its queries against
   * the fixed index (ADORE), in full mode against the corpus re-embedded by it (ANCE).
   *
   * @param queryEncoder the current query tower
   * @param index the corpus as the current model sees it
   */
  List<QueryPool> remine(Function<List<String>, float[][]> queryEncoder, DenseIndex index)
      throws IOException {
    out.println();
    QueryVectors vectors = new QueryVectors(queryEncoder);
    vectors.prepare(queries.stream().map(LabeledQuery::queryText).toList());
    return pools(mine(new DenseSource("dense", index, vectors)));
  }

  /**
   * Each mined query with its weighted positives, and its negatives: what the epochs draw their
   * examples from.
   */
  List<QueryPool> pools(List<MinedQuery> mined) {
    List<QueryPool> pools = new ArrayList<>(mined.size());
    for (MinedQuery query : mined) {
      Map<String, Double> positives = new LinkedHashMap<>();
      query.positiveIds().forEach(id -> positives.put(id, data.positiveWeight(query.queryId(), id)));
      // a document users skipped to click a lower one is a negative the miner may not find
      Set<String> negatives = new LinkedHashSet<>(data.knownNegatives(query.queryId()));
      query.negatives().forEach(candidate -> negatives.add(candidate.docId()));
      negatives.removeAll(positives.keySet());
      pools.add(new QueryPool(query.queryId(), query.queryText(), positives, List.copyOf(negatives)));
    }
    return pools;
  }

  /**
   * The teacher that scored the click log, if it is a pretrained one: loaded and embedded once
   * per run. The model itself scores with its own vectors, as {@link RetrievalSetup#teacher} says.
   */
  private static RelevanceScorer teacher(RetrievalSetup retrieval, TrainingData data,
      String name, List<String> texts, float[][] vectors) throws IOException {
    if (data.clickTeacher() != null && !retrieval.isModel(name)) {
      return data.clickTeacher();
    }
    return retrieval.teacher(name, texts, retrieval.queries(texts, vectors));
  }

  /** The teacher of the false-negative rules, null when no rule (and no distillation) uses one. */
  RelevanceScorer teacher() {
    return teacher;
  }

  BatchSampler sampler() {
    return sampler;
  }

  InBatchMask mask() {
    return mask;
  }

  /** Removals per mining rule and masked pairs per in-batch rule. */
  Map<String, Long> counts() {
    Map<String, Long> counts = new LinkedHashMap<>();
    chain.counts().forEach((rule, n) -> counts.put("mining: removed by " + rule, n));
    mask.counts().forEach((rule, n) -> counts.put("in-batch: masked by " + rule.auditName(), n));
    return counts;
  }

  @Override
  public void close() throws IOException {
    filters.close();
  }
}
