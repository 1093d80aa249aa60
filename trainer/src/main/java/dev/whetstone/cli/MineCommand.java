package dev.whetstone.cli;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.SolrCorpus;
import dev.whetstone.filter.FalseNegativeRules;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.filter.NegativeFilter;
import dev.whetstone.filter.PositiveAwareMarginFilter;
import dev.whetstone.filter.RankWindowFilter;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.mine.FalseNegativeExperiment.Setting;
import dev.whetstone.mine.FalseNegativeExperiment;
import dev.whetstone.mine.HardNegativeMiner;
import dev.whetstone.mine.MinedQuery;
import dev.whetstone.mine.NegativesFile;
import dev.whetstone.mine.RetrievalSetup;
import dev.whetstone.retrieval.Bm25Sources;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.DenseSource;
import dev.whetstone.retrieval.EmbeddingCache;
import dev.whetstone.retrieval.LabeledQuery;
import dev.whetstone.retrieval.QueryVectors;
import dev.whetstone.train.MiningConfig;
import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code whetstone mine}: hard negatives for the training queries from BM25 and the model, through
 * the false-negative rules, written with an audit of the removals; with {@code --hide-positives},
 * the measurement of how many hidden positives each rule keeps from becoming negatives.
 */
@Command(name = "mine", mixinStandardHelpOptions = true,
    description = "Mine hard negatives (BM25 + dense) for the training queries with false-negative "
        + "correction; optionally measure the correction by hiding labeled positives.")
final class MineCommand implements Callable<Integer> {

  @Mixin DataAndModelOptions options;

  @ArgGroup(exclusive = false, heading = "Live Solr collection (corpus and BM25; queries and "
      + "judgments still come from --data)%n")
  SolrCollectionOptions solr;

  @Mixin MiningOptions mining;

  @Option(names = "--split", defaultValue = "train", description = "qrels split to mine for (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--hide-positives", defaultValue = "0", paramLabel = "SHARE",
      description = "measure: hide this share of the positives (e.g. 0.3) and report how many "
          + "became negatives per rule; 0 = no measurement (default: ${DEFAULT-VALUE})")
  double hidePositives;

  @Option(names = "--rounds", defaultValue = "10",
      description = "measurement rounds, each hiding another seeded sample (default: ${DEFAULT-VALUE})")
  int rounds;

  @Mixin SeedOption seeding;

  @Option(names = "--output", defaultValue = "negatives.jsonl", paramLabel = "FILE",
      description = "mined negatives, one query per line (default: ${DEFAULT-VALUE})")
  Path output;

  @Option(names = "--audit", paramLabel = "FILE", description = "removals with their scores and "
      + "rule, as --audit-mode says (default: audit.jsonl.gz, or audit.jsonl with --audit-mode full)")
  Path audit;

  @Mixin WorkDirOption workDir;

  @Override
  public Integer call() throws Exception {
    long start = System.nanoTime();
    MiningConfig settings = mining.config();
    BeirDataset dataset = BeirDataset.open(options.data);
    List<LabeledQuery> queries = LabeledQuery.judged(dataset.qrels(split), dataset.queries());
    Path work = workDir.dir();
    EmbeddingCache cache = new EmbeddingCache(work.resolve("vectors"), System.err);
    List<String> queryTexts = queries.stream().map(LabeledQuery::queryText).toList();
    List<BeirDocument> corpus = solr == null ? dataset.corpus() : readCollection();

    try (RetrievalSetup retrieval = RetrievalSetup.load(
            ModelCache.ensure(options.models(), options.model), options.model, cache,
            options.models(), System.err);
        CandidateSource bm25 = Bm25Sources.open(solr == null ? null : solr.url,
            solr == null ? null : solr.collection, work.resolve("bm25-" + dataset.name()), corpus,
            System.err)) {
      List<String> ids = corpus.stream().map(BeirDocument::id).toList();
      System.err.printf("Embedding with %s (cached in %s)%n", options.model, work.resolve("vectors"));
      retrieval.embedCorpus(corpus);
      DenseIndex modelIndex = retrieval.searchIndex(mining.hnsw);
      QueryVectors modelQueries = retrieval.queries(queryTexts);
      RelevanceScorer modelScorer = retrieval.scorer(modelQueries);

      RelevanceScorer teacherScorer = retrieval.teacher(mining.teacher, queryTexts, modelQueries);
      boolean ownTeacher = retrieval.isModel(mining.teacher);
      FalseNegativeRules rules = settings.rules(teacherScorer);
      List<CandidateSource> sources = List.of(bm25, new DenseSource("dense", modelIndex, modelQueries));
      List<MinedQuery> mined;
      FilterChain chain;
      Path auditFile = audit != null ? audit : Path.of(settings.audit().defaultFile());
      try (RetrievalSetup.Filters filters = retrieval.filters(rules, teacherScorer, auditFile,
          settings.audit())) {
        chain = filters.chain();
        HardNegativeMiner miner = new HardNegativeMiner(sources, mining.depth, chain)
            .withRandomNegatives(ids, mining.randomNegatives, seeding.seed);
        System.err.printf("Mining %d %s queries: %s, depth %d, rules %s%n", queries.size(), split,
            String.join(" + ", sources.stream().map(CandidateSource::name).toList()), mining.depth,
            chain.filters().isEmpty() ? "none" : chain.filters());
        mined = miner.mine(queries, System.err);
        NegativesFile.write(output, mined);
        if (hidePositives > 0) {
          measure(miner, queries, rules, modelScorer, teacherScorer != null && !ownTeacher);
        }
      }
      long negatives = mined.stream().mapToLong(m -> m.negatives().size()).sum();
      System.out.printf(Locale.ROOT, "%nMined %d negatives for %d queries (%.1f per query) into %s%n",
          negatives, mined.size(), (double) negatives / mined.size(), output);
      chain.counts().forEach((rule, n) ->
          System.out.printf(Locale.ROOT, "  removed by %-7s %d%n", rule, n));
      System.out.printf(Locale.ROOT, "Audit: %s (%s, %d bytes). Total %.1f s%n", auditFile,
          settings.audit().name().toLowerCase(Locale.ROOT), Files.size(auditFile),
          (System.nanoTime() - start) / 1e9);
    }
    return 0;
  }

  private List<BeirDocument> readCollection() throws IOException {
    System.err.printf("Reading the corpus of collection '%s' at %s%n", solr.collection, solr.url);
    try (SolrClient client = new Http2SolrClient.Builder(solr.url).build()) {
      return new SolrCorpus(client, solr.collection).read(System.err);
    }
  }

  private void measure(HardNegativeMiner miner, List<LabeledQuery> queries, FalseNegativeRules rules,
      RelevanceScorer modelScorer, boolean pretrainedTeacher) throws IOException {
    List<Setting> settings = new ArrayList<>();
    settings.add(new Setting("none", List.of()));
    if (rules.window() != null) {
      settings.add(new Setting("rank window " + rules.window(), List.of(rules.window())));
    }
    if (rules.margin() != null) {
      settings.add(new Setting(rules.margin().toString(), List.of(rules.margin())));
    }
    if (pretrainedTeacher) {
      NegativeFilter modelMargin = new PositiveAwareMarginFilter(modelScorer, mining.margin.relativeMargin);
      settings.add(new Setting(modelMargin + ", the model itself", List.of(modelMargin)));
    }
    if (rules.enabled().size() > 1) {
      settings.add(new Setting("all rules", rules.enabled()));
    }
    System.err.printf(Locale.ROOT, "Measuring: %d rounds, each hiding %.0f%% of the %s positives%n",
        rounds, 100 * hidePositives, split);
    FalseNegativeExperiment experiment = new FalseNegativeExperiment(miner, queries);
    experiment.retrieve(System.err);
    List<FalseNegativeExperiment.Row> rows = experiment.run(settings, hidePositives, seeding.seed, rounds);
    System.out.printf(Locale.ROOT, "%nHidden positives: %d over %d rounds (seed %d..%d); %d of them "
        + "belonged to queries left with no visible positive, which are not mined.%n",
        experiment.hiddenTotal(), rounds, seeding.seed, seeding.seed + rounds - 1, experiment.hiddenInDroppedQueries());
    List<String> ruleNames = new ArrayList<>(List.of(RankWindowFilter.RULE, PositiveAwareMarginFilter.RULE));
    System.out.println(FalseNegativeExperiment.markdown(rows, ruleNames));
  }
}
