package dev.whetstone.cli;

import dev.whetstone.clicks.ClickJudgments;
import dev.whetstone.clicks.ClickLabelQuality;
import dev.whetstone.clicks.ClickSimulator;
import dev.whetstone.clicks.Impression;
import dev.whetstone.clicks.ImpressionsJsonl;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.data.TrainingSplits;
import dev.whetstone.eval.Runs;
import dev.whetstone.filter.EmbeddingScorer;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.model.Encoder;
import dev.whetstone.retrieval.Bm25Sources;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.EmbeddingCache;
import dev.whetstone.train.ClickConfig;
import dev.whetstone.train.MiningConfig;
import dev.whetstone.workspace.ModelCache;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine;

/** {@code whetstone clicks}: click logs. */
@Command(name = "clicks", mixinStandardHelpOptions = true, description = "Click logs for "
    + "'whetstone train --clicks' (docs/clicks.md).", subcommands = ClicksCommand.Simulate.class)
final class ClicksCommand implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  /** A click log simulated from judgments, with a known position bias. */
  @Command(name = "simulate", mixinStandardHelpOptions = true, description = "Simulate users "
      + "clicking the BM25 and hybrid (BM25 + --model, RRF) top 10 of the data set's train and "
      + "dev queries (the test queries stay unseen): each session shows one ranker's list, a "
      + "position r is looked at with probability (1/r)^theta, and a judged document (grade 1: "
      + "0.6, grade 2: 1.0) or another (0.1) clicked if looked at. Writes impressions JSONL.")
  static final class Simulate implements Callable<Integer> {
    static final int SHOWN = 10;

    @Mixin DataAndModelOptions options;

    @Option(names = "--output", required = true, paramLabel = "FILE",
        description = "impressions JSONL (.gz: compressed)")
    Path output;

    @Option(names = "--theta", defaultValue = "1", description = "position bias: examination "
        + "(1/r)^theta (default: ${DEFAULT-VALUE})")
    double theta;

    @Option(names = "--sessions", defaultValue = "50",
        description = "sessions per query (default: ${DEFAULT-VALUE})")
    int sessions;

    @Option(names = "--shown", defaultValue = "bm25,hybrid", split = ",", description = "the "
        + "rankers whose top 10 users see, one per session: bm25, hybrid (default: ${DEFAULT-VALUE})")
    List<String> shown;

    @Mixin SplitsOption splits;

    @Option(names = "--dev-fraction", defaultValue = "0.1", description = "as 'whetstone train' "
        + "(default: ${DEFAULT-VALUE})")
    double devFraction;

    @Mixin SeedOption seeding;

    @Mixin WorkDirOption workDir;

    @Override
    public Integer call() throws Exception {
      long start = System.nanoTime();
      BeirDataset dataset = BeirDataset.open(options.data);
      TrainingSplits split = TrainingSplits.of(dataset, splits.ratios(), devFraction, seeding.seed);
      Map<String, Map<String, Integer>> judged = new LinkedHashMap<>();
      for (Qrels qrels : List.of(split.train(), split.dev())) {
        qrels.queryIds().forEach(q -> judged.put(q, qrels.judgments(q)));
      }
      Map<String, String> texts = dataset.queries();
      Map<String, String> queries = new LinkedHashMap<>();
      judged.keySet().forEach(q -> queries.put(q, texts.get(q)));
      List<BeirDocument> corpus = dataset.corpus();
      Path work = workDir.dir();
      System.err.printf("Ranking %d train and dev queries of %s with %s%n", queries.size(),
          dataset.name(), shown);

      Map<String, List<List<String>>> rankings = new LinkedHashMap<>();
      queries.keySet().forEach(q -> rankings.put(q, new ArrayList<>()));
      try (CandidateSource bm25 = Bm25Sources.open(null, null,
          work.resolve("bm25-" + dataset.name()), corpus, System.err)) {
        Map<String, List<Candidate>> lexical = Runs.lexical(bm25, queries);
        for (String ranker : shown) {
          Map<String, List<String>> run = switch (ranker.trim().toLowerCase(Locale.ROOT)) {
            case "bm25" -> Runs.ids(lexical);
            case "hybrid" -> Runs.fuse(lexical, dense(corpus, queries, work));
            default -> throw new IllegalArgumentException("--shown: '" + ranker
                + "' is not bm25 or hybrid");
          };
          run.forEach((q, ids) -> rankings.get(q).add(ids.subList(0, Math.min(SHOWN, ids.size()))));
        }
      }
      List<ClickSimulator.Query> simulated = new ArrayList<>();
      queries.forEach((q, text) -> simulated.add(new ClickSimulator.Query(q, text, rankings.get(q))));
      List<Impression> log = new ClickSimulator(theta).simulate(simulated, new Qrels(judged),
          sessions, seeding.seed);
      ImpressionsJsonl.write(output, log);

      long clicks = log.stream().mapToLong(i -> i.clicks().size()).sum();
      long[] byPosition = new long[SHOWN];
      log.forEach(i -> i.clicks().forEach(c -> byPosition[c.position() - 1]++));
      System.out.printf(Locale.ROOT, "Wrote %d impressions (%d queries x %d sessions), %d clicks, "
          + "to %s in %.1f s. Clicks per position:", log.size(), simulated.size(), sessions, clicks,
          output, (System.nanoTime() - start) / 1e9);
      for (long n : byPosition) {
        System.out.print(" " + n);
      }
      System.out.println();
      // what training will make of it, against the judgments the clicks were drawn from
      RelevanceScorer teacher = EmbeddingScorer.pretrained(MiningConfig.DEFAULT_TEACHER,
          options.models(), corpus, List.copyOf(queries.values()),
          new EmbeddingCache(work.resolve("vectors"), System.err), System.err);
      ClickJudgments labels = ClickConfig.defaults(output.toString())
          .judgments(log, devFraction, seeding.seed, doc -> true, teacher, System.out);
      Map<String, Map<String, Integer>> judgedByText = new LinkedHashMap<>();
      judged.forEach((q, judgments) -> judgedByText.put(texts.get(q), judgments));
      System.out.println("Labels as 'whetstone train --clicks' makes them by default: "
          + ClickLabelQuality.of(labels, judgedByText, log));
      return 0;
    }

    private Map<String, List<Candidate>> dense(List<BeirDocument> corpus, Map<String, String> queries,
        Path work) throws java.io.IOException {
      EmbeddingCache cache = new EmbeddingCache(work.resolve("vectors"), System.err);
      try (Encoder model = Encoder.load(ModelCache.ensure(options.models(), options.model))) {
        DenseIndex index = new DenseIndex(corpus.stream().map(BeirDocument::id).toList(),
            cache.documents(model, corpus));
        List<String> ids = new ArrayList<>(queries.keySet());
        float[][] vectors = cache.queries(model, ids.stream().map(queries::get).toList());
        Map<String, float[]> byId = new LinkedHashMap<>();
        for (int i = 0; i < ids.size(); i++) {
          byId.put(ids.get(i), vectors[i]);
        }
        return Runs.dense(index, byId);
      }
    }
  }
}
