package dev.whetstone.cli;

import dev.whetstone.console.ProgressBar;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.demo.BeirCloud;
import dev.whetstone.demo.CurlExamples;
import dev.whetstone.demo.PublishedResults;
import dev.whetstone.demo.ScifactDownload;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.retrieval.RetrievalMode;
import dev.whetstone.workspace.BeirConfigSet;
import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code whetstone demo}: a local SolrCloud with a BEIR data set indexed through the embedding
 * processor, evaluated with BM25, dense and hybrid queries, then served until Ctrl-C.
 */
@Command(name = "demo", mixinStandardHelpOptions = true,
    description = "Index a BEIR data set into a local SolrCloud through Whetstone's update "
        + "processor, evaluate BM25, dense and hybrid retrieval, and serve it.")
final class DemoCommand implements Callable<Integer> {
  @Mixin DataAndModelOptions options;

  @Mixin LoggingOptions logging;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "where Solr's log (solr.log) goes (default: ~/.cache/whetstone/demo)")
  Path workDir;

  @Option(names = "--nodes", defaultValue = "2", description = "Solr nodes (default: ${DEFAULT-VALUE})")
  int nodes;

  @Option(names = "--shards", defaultValue = "2", description = "default: ${DEFAULT-VALUE}")
  int shards;

  @Option(names = "--replicas", defaultValue = "1", description = "default: ${DEFAULT-VALUE}")
  int replicas;

  @Option(names = "--port", defaultValue = "8983",
      description = "port of the first node, if free (default: ${DEFAULT-VALUE})")
  int port;

  @Option(names = "--split", defaultValue = "test", description = "qrels split (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--max-docs", paramLabel = "N", description = "index only the first N documents")
  Integer maxDocs;

  @Option(names = "--queries", paramLabel = "N", description = "evaluate only the first N judged queries")
  Integer maxQueries;

  @Option(names = "--exit", description = "stop after the evaluation instead of serving")
  boolean exit;

  @Override
  public Integer call() throws Exception {
    Path work = workDir != null ? workDir : ModelCache.defaultDir().getParent().resolve("demo");
    logging.redirectTo(work.resolve("solr.log"));
    BeirDataset dataset = BeirDataset.open(resolveData());
    List<BeirDocument> corpus = dataset.corpus();
    boolean partialCorpus = maxDocs != null && maxDocs < corpus.size();
    if (partialCorpus) {
      corpus = corpus.subList(0, maxDocs);
    }
    Qrels qrels = dataset.qrels(split);
    Map<String, String> queries = judgedQueries(dataset.queries(), qrels);
    Path models = options.models();
    String model = options.model;
    String collection = dataset.name();

    System.err.printf("Starting SolrCloud: %d nodes, model %s from %s%n", nodes, model, models);
    BeirCloud cloud = BeirCloud.start(nodes, port, models, model, BeirConfigSet.locate());
    Thread closer = new Thread(() -> closeQuietly(cloud), "whetstone-demo-shutdown");
    Runtime.getRuntime().addShutdownHook(closer);
    try {
      // clients use an alias, so a new document model can later take over as a new collection
      // (whetstone deploy, full mode: docs/rollout.md)
      String generation = collection + "_v1";
      cloud.createCollection(generation, shards, replicas);
      CollectionAdminRequest.createAlias(collection, generation).process(cloud.cloud().client());
      System.err.printf("Indexing %d documents of %s into '%s' (alias of collection '%s', %d shards "
          + "x %d replicas)%n", corpus.size(), dataset.dir(), collection, generation, shards, replicas);
      ProgressBar progress = new ProgressBar(System.err, "docs", corpus.size());
      double seconds = cloud.index(collection, corpus, progress::update);
      System.err.printf(Locale.ROOT, "Indexed %d documents in %.1f s (%.1f docs/s)%n",
          corpus.size(), seconds, corpus.size() / seconds);
      printEvaluation(cloud, collection, queries, qrels, partialCorpus);
      printCurlExamples(cloud, collection, queries.values().iterator().next());
    } catch (Exception e) {
      Runtime.getRuntime().removeShutdownHook(closer);
      closeQuietly(cloud);
      throw e;
    }
    if (exit) {
      Runtime.getRuntime().removeShutdownHook(closer);
      cloud.close();
      return 0;
    }
    System.out.printf("%nServing at %s (Solr admin UI: %s/). Press Ctrl-C to stop.%n",
        cloud.cloud().baseUrl(), cloud.cloud().baseUrl());
    new CountDownLatch(1).await(); // the shutdown hook closes the cluster on Ctrl-C
    return 0;
  }

  private Path resolveData() throws IOException, InterruptedException {
    Path data = options.data;
    if (Files.isDirectory(data)) {
      return data;
    }
    if (data.getFileName() != null && data.getFileName().toString().equals("scifact")) {
      Path cache = ModelCache.defaultDir().getParent().resolve("data");
      System.err.println(data + " does not exist: downloading SciFact from " + ScifactDownload.URL);
      return ScifactDownload.fetch(cache);
    }
    throw new NoSuchFileException(data.toString(), null, "no such data set folder");
  }

  private Map<String, String> judgedQueries(Map<String, String> all, Qrels qrels) {
    Map<String, String> judged = new LinkedHashMap<>();
    for (String id : qrels.queryIds()) {
      String text = all.get(id);
      if (text == null) {
        throw new IllegalArgumentException("query " + id + " of qrels split '" + split
            + "' is not in queries.jsonl");
      }
      if (maxQueries != null && judged.size() == maxQueries) {
        break;
      }
      judged.put(id, text);
    }
    return judged;
  }

  private void printEvaluation(BeirCloud cloud, String collection, Map<String, String> queries,
      Qrels evaluationQrels, boolean partialCorpus) throws Exception {
    Qrels qrels = restrict(evaluationQrels, queries);
    System.out.printf("%n%s, split %s, %d queries, through Solr:%n", collection, split, queries.size());
    System.out.printf("%-7s %8s %8s %8s %10s   %s%n", "mode", "nDCG@10", "MRR@10", "R@100",
        "queries/s", "published nDCG@10");
    for (RetrievalMode mode : RetrievalMode.values()) {
      long start = System.nanoTime();
      Evaluation e = cloud.evaluate(collection, mode, queries, qrels);
      double qps = queries.size() / ((System.nanoTime() - start) / 1e9);
      String reference = PublishedResults.of(collection, mode, options.model)
          .map(r -> String.format(Locale.ROOT, "%.4f (%s)", r.ndcg10(), r.source()))
          .orElse("-");
      System.out.printf(Locale.ROOT, "%-7s %8.4f %8.4f %8.4f %10.1f   %s%n", mode.label(),
          e.ndcg10(), e.mrr10(), e.recall100(), qps, reference);
    }
    if (partialCorpus || queries.size() < evaluationQrels.queryIds().size()) {
      System.out.println("(a subset: --max-docs/--queries make the figures incomparable with the "
          + "published ones)");
    }
  }

  private static Qrels restrict(Qrels qrels, Map<String, String> queries) {
    Map<String, Map<String, Integer>> kept = new LinkedHashMap<>();
    queries.keySet().forEach(id -> kept.put(id, qrels.judgments(id)));
    return new Qrels(kept);
  }

  private static void printCurlExamples(BeirCloud cloud, String collection, String text) {
    System.out.printf("%nTry it (query: \"%s\"):%n", text);
    for (RetrievalMode mode : RetrievalMode.values()) {
      System.out.printf("# %s%n%s%n", mode.label(),
          CurlExamples.command(cloud.cloud().baseUrl(), collection, mode, text));
    }
  }

  private static void closeQuietly(BeirCloud cloud) {
    try {
      cloud.close();
    } catch (Exception e) {
      System.err.println("error while stopping SolrCloud: " + e);
    }
  }
}
