package dev.whetstone.cli;

import dev.whetstone.bench.EncoderBench;
import dev.whetstone.bench.RolloutBench;
import dev.whetstone.bench.SigningBench;
import dev.whetstone.bench.SolrQueryBench;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.codec.gpu.GpuKnn;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.demo.BeirCloud;
import dev.whetstone.model.Encoder;
import dev.whetstone.retrieval.RetrievalMode;
import dev.whetstone.rollout.CollectionCopy;
import dev.whetstone.workspace.BeirConfigSet;
import dev.whetstone.workspace.ModelCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code whetstone bench}: the figures of docs/benchmarks.md. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks: the encoder against raw ONNX Runtime, Solr query latency, and the "
        + "full-mode roll-out's re-embedding rate.",
    subcommands = {BenchCommand.EncoderCommand.class, BenchCommand.SolrCommand.class,
        BenchCommand.RolloutCommand.class})
final class BenchCommand implements Runnable {
  @Override
  public void run() {
    new picocli.CommandLine(this).usage(System.out);
  }

  @Command(name = "encoder", mixinStandardHelpOptions = true,
      description = "Documents/s of the Whetstone encoder vs raw ONNX Runtime on the same batches; "
          + "single-query embedding p50/p99.")
  static final class EncoderCommand implements Callable<Integer> {
    @Mixin DataAndModelOptions options;

    @Option(names = "--docs", defaultValue = "512", description = "documents embedded (default: ${DEFAULT-VALUE})")
    int docs;

    @Option(names = "--batch", defaultValue = "32", description = "batch size (default: ${DEFAULT-VALUE})")
    int batch;

    @Option(names = "--rounds", defaultValue = "3", description = "best of N rounds (default: ${DEFAULT-VALUE})")
    int rounds;

    @Override
    public Integer call() throws Exception {
      BeirDataset dataset = BeirDataset.open(options.data);
      List<String> texts = new ArrayList<>();
      for (BeirDocument doc : dataset.corpus().subList(0, Math.min(docs, dataset.corpus().size()))) {
        texts.add(doc.embeddingText());
      }
      EncoderBench bench = new EncoderBench(ModelCache.ensure(options.models(), options.model), System.out);
      bench.throughput(texts, batch, rounds);
      List<String> queries = new ArrayList<>(dataset.queries().values());
      bench.queryLatency(queries.subList(0, Math.min(300, queries.size())));
      return 0;
    }
  }

  @Command(name = "solr", mixinStandardHelpOptions = true,
      description = "Indexing docs/s through the processor, then query p50/p99 of BM25, dense, "
          + "hybrid and kNN with the vector supplied on a 1-shard and a 2-shard collection "
          + "(query-vector cache off).")
  static final class SolrCommand implements Callable<Integer> {
    @Mixin DataAndModelOptions options;

    @Option(names = "--queries", defaultValue = "200", description = "measured queries per mode (default: ${DEFAULT-VALUE})")
    int queries;

    @Override
    public Integer call() throws Exception {
      BeirDataset dataset = BeirDataset.open(options.data);
      List<BeirDocument> corpus = dataset.corpus();
      List<String> texts = new ArrayList<>(dataset.queries().values());
      List<String> warmup = texts.subList(0, 20);
      List<String> measured = texts.subList(20, Math.min(texts.size(), 20 + queries));
      // texts no other row sent: Solr's query result cache must not answer either side of a pair
      List<String> fresh = texts.subList(measured.size() + 20,
          Math.min(texts.size(), measured.size() + 20 + queries));
      List<String> unseen = texts.subList(Math.min(texts.size(), measured.size() + 20 + queries),
          Math.min(texts.size(), measured.size() + 20 + 2 * queries));
      // the yardsticks, in this run: the encoder alone on the same documents and query texts
      EncoderBench encoder = new EncoderBench(ModelCache.ensure(options.models(), options.model), System.out);
      // batches of 32, as the configset's processor (batchSize) embeds them
      double alone = encoder.encoderAlone(corpus.stream().map(BeirDocument::embeddingText).toList(),
          Encoder.DEFAULT_BATCH_SIZE);
      encoder.queryLatency(measured);
      Map<String, float[]> vectors = new HashMap<>();
      String fingerprint;
      try (Encoder model = Encoder.load(ModelCache.ensure(options.models(), options.model))) {
        fingerprint = model.manifest().fingerprint();
        List<String> all = texts.subList(0, 20 + measured.size());
        float[][] embedded = model.encodeQueries(all);
        for (int i = 0; i < all.size(); i++) {
          vectors.put(all.get(i), embedded[i]);
        }
      }
      boolean calibrated = Files.exists(ModelCache.ensure(options.models(), options.model).path()
          .resolve(CosineAdapter.FILE_NAME));
      if (!calibrated) {
        System.out.println("(no calibration.json for " + options.model + ": the minRelevance rows "
            + "are skipped; 'whetstone calibrate' fits one)");
      }
      System.setProperty("whetstone.queryCacheSize", "0");
      try (BeirCloud cloud = BeirCloud.start(2, 0, options.models(), options.model, BeirConfigSet.locate())) {
        cloud.createCollection("two_shards", 2, 1);
        double seconds = cloud.index("two_shards", corpus, done -> {});
        double indexing = corpus.size() / seconds;
        System.out.printf(Locale.ROOT, "index    %d docs through the processor, 2 shards: %.1f s, "
            + "%.1f docs/s = %.2f x the encoder alone%n", corpus.size(), seconds, indexing,
            indexing / alone);
        cloud.createCollection("one_shard", 1, 1);
        cloud.copyWithVectors("two_shards", "one_shard");
        SolrQueryBench bench = new SolrQueryBench(cloud.cloud().client());
        for (String collection : List.of("one_shard", "two_shards")) {
          for (RetrievalMode mode : RetrievalMode.values()) {
            SolrQueryBench.Latencies latencies = bench.measure(collection, mode, warmup, measured);
            System.out.printf(Locale.ROOT, "query    %-10s %-6s client %s; Solr QTime %s%n",
                collection, mode.label(), latencies.client(), latencies.server());
            if (collection.equals("two_shards") && mode == RetrievalMode.DENSE) {
              printSigningCost(fingerprint, measured, vectors, latencies.client().p50Millis());
            }
          }
          SolrQueryBench.Latencies knn = bench.measureKnn(collection, vectors::get, warmup, measured);
          System.out.printf(Locale.ROOT, "query    %-10s %-6s client %s; Solr QTime %s%n",
              collection, "knn", knn.client(), knn.server());
          if (calibrated) {
            // the filter's cost: the same dense request with and without it, interleaved
            SolrQueryBench.Paired paired = bench.measurePaired(collection,
                text -> RetrievalMode.DENSE.request(text, 10), collection,
                text -> withMinRelevance(RetrievalMode.DENSE.request(text, 10)), warmup, fresh);
            System.out.printf(Locale.ROOT, "query    %-10s %-6s client %s; Solr QTime %s%n",
                collection, "dense", paired.first().client(), paired.first().server());
            System.out.printf(Locale.ROOT, "query    %-10s %-6s client %s; Solr QTime %s "
                + "(minRelevance=default; p50 %.3f x dense)%n", collection, "dense+minRelevance",
                paired.second().client(), paired.second().server(),
                paired.second().client().p50Millis() / paired.first().client().p50Millis());
          }
        }
        // the fused query's price for sharding: the same hybrid request on both, interleaved
        SolrQueryBench.Paired hybrid = bench.measurePaired("one_shard",
            text -> RetrievalMode.HYBRID.request(text, 10), "two_shards",
            text -> RetrievalMode.HYBRID.request(text, 10), warmup, fresh);
        System.out.printf(Locale.ROOT, "query    paired hybrid: 1 shard client %s; 2 shards client "
            + "%s; p50 %.2f x 1 shard; top-10 ids differ for %d of %d texts, top-10 scores for "
            + "%d (kNN mode %s)%n", hybrid.first().client(), hybrid.second().client(),
            hybrid.second().client().p50Millis() / hybrid.first().client().p50Millis(),
            hybrid.differingTopIds(), fresh.size(), hybrid.differingTopScores(),
            GpuKnn.node().settings().searchMode());
        // the UBI query log's price: the same dense request with and without ubi=true, interleaved
        // (to the log file, the configset's default)
        SolrQueryBench.Paired ubi = bench.measurePaired("one_shard",
            text -> RetrievalMode.DENSE.request(text, 10), "one_shard",
            text -> RetrievalMode.DENSE.request(text, 10).setParam("ubi", "true"), warmup, unseen);
        System.out.printf(Locale.ROOT, "query    paired dense 1 shard: without ubi client %s; with "
            + "ubi=true client %s; p50 %.3f x without%n", ubi.first().client(), ubi.second().client(),
            ubi.second().client().p50Millis() / ubi.first().client().p50Millis());
      }
      return 0;
    }

    /**
     * The internal params' signing beside the query it protects, measured in the same run: a
     * 2-shard query sends at most 4 shard requests (top ids, then fields), each signed and verified.
     */
    private static void printSigningCost(String fingerprint, List<String> texts,
        Map<String, float[]> vectors, double denseP50Millis) {
      double micros = SigningBench.signAndVerifyMicros(fingerprint, texts, vectors::get);
      System.out.printf(Locale.ROOT, "signing  sign + verify of one shard request's internal params "
          + "%.1f us; x 4 shard requests = %.3f%% of the 2-shard dense p50 (%.2f ms)%n", micros,
          100 * 4 * micros / 1e3 / denseP50Millis, denseP50Millis);
    }

    private static SolrQuery withMinRelevance(SolrQuery dense) {
      dense.setQuery(dense.getQuery().replace("topK=100", "topK=100 minRelevance=default"));
      return dense;
    }
  }

  @Command(name = "rollout", mixinStandardHelpOptions = true,
      description = "Full mode's re-embedding rate against a fresh index, same run: a 2-node, "
          + "2-shard collection indexed with --model behind an alias; then the corpus indexed "
          + "fresh with --to, the full roll-out of the alias to --to (copy, catch-up, swap), and "
          + "a fresh index again; the copy's docs/s over the mean of the two fresh ones.")
  static final class RolloutCommand implements Callable<Integer> {
    @Mixin DataAndModelOptions options;

    @Option(names = "--to", defaultValue = "all-minilm-l6-v2-q",
        description = "the new document model (default: ${DEFAULT-VALUE})")
    String to;

    @Option(names = "--docs", defaultValue = "0", description = "documents (0: the whole corpus)")
    int docs;

    @Option(names = "--threads", defaultValue = "4",
        description = "parallel senders, as deploy's --threads (default: ${DEFAULT-VALUE})")
    int threads;

    @Override
    public Integer call() throws Exception {
      List<BeirDocument> corpus = BeirDataset.open(options.data).corpus();
      if (docs > 0) {
        corpus = corpus.subList(0, Math.min(docs, corpus.size()));
      }
      String fingerprint = ModelCache.ensure(options.models(), to).manifest().fingerprint();
      Path work = Files.createTempDirectory("whetstone-rollout-bench");
      try (BeirCloud cloud = BeirCloud.start(2, 0, options.models(), options.model, BeirConfigSet.locate())) {
        cloud.createCollection("bench_v1", 2, 1);
        double seconds = cloud.index("bench_v1", corpus, done -> {});
        System.out.printf(Locale.ROOT, "serving  %d docs by %s: %.1f docs/s (the demo's indexer)%n",
            corpus.size(), options.model, corpus.size() / seconds);
        CollectionAdminRequest.createAlias("bench", "bench_v1").process(cloud.cloud().client());
        RolloutBench bench = new RolloutBench(cloud.cloud().client(), BeirCloud.CONFIG_SET,
            "minilm", threads, 100, System.out);
        // the nodes find and load the new model once, before anything is measured
        bench.create("warm_up", 2, fingerprint);
        bench.freshIndex("warm_up", corpus.subList(0, Math.min(200, corpus.size())));
        CollectionAdminRequest.deleteCollection("warm_up").process(cloud.cloud().client());
        bench.create("fresh_1", 2, fingerprint);
        double before = bench.freshIndex("fresh_1", corpus);
        System.out.printf(Locale.ROOT, "fresh    %d docs by %s: %.1f docs/s%n", corpus.size(), to, before);
        CollectionCopy.Result copy = bench.rollout("bench", "bench_v2", 2, fingerprint, work);
        System.out.printf(Locale.ROOT, "copy     %s%n", copy);
        bench.create("fresh_2", 2, fingerprint);
        double after = bench.freshIndex("fresh_2", corpus);
        System.out.printf(Locale.ROOT, "fresh    %d docs by %s: %.1f docs/s%n", corpus.size(), to, after);
        Files.deleteIfExists(work); // the roll-out deleted its checkpoint
        System.out.printf(Locale.ROOT, "re-embedding %.1f docs/s = %.2fx a fresh index (%.1f, %.1f "
            + "docs/s before and after; %d senders, batches of 100)%n", copy.documentsPerSecond(),
            copy.documentsPerSecond() / ((before + after) / 2), before, after, threads);
      }
      return 0;
    }
  }
}
