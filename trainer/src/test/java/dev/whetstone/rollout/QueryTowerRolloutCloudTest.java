package dev.whetstone.rollout;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import com.codahale.metrics.Gauge;
import com.google.gson.JsonObject;
import dev.whetstone.cli.ExitStatus;
import dev.whetstone.cli.Whetstone;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.demo.BeirCloud;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.retrieval.RetrievalMode;
import dev.whetstone.workspace.BeirConfigSet;
import dev.whetstone.workspace.ModelCache;
import java.io.BufferedWriter;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.util.IOUtils;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.core.SolrCore;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code whetstone deploy} and {@code rollback} against a real 2-node SolrCloud (collection of 2
 * shards x 2 replicas, a few hundred SciFact documents embedded by the fp32 all-MiniLM-L6-v2),
 * through the command line's Java entry, with the online gate on SciFact test queries whose
 * judged documents are all in the collection.
 */
public class QueryTowerRolloutCloudTest {
  private static final String COLLECTION = "rollout";
  private static final String DOCUMENTS = "all-minilm-l6-v2";
  private static final String PREFIX = "OTHER.embeddings.minilm.";
  private static final int GATE_QUERIES = 40;
  private static final int CORPUS = 300;
  private static final int FULL_MODE_GATE_QUERIES = 10;

  private static BeirCloud cloud;
  private static Path work;
  private static Path data;
  private static String documentModel;
  /** The int8 MiniLM as a query tower of the fp32 one: close to it, a sound candidate. */
  private static Path int8Tower;
  /** e5-small-v2 (int8) as a query tower of the fp32 MiniLM: same dimension, unrelated space. */
  private static Path e5Tower;
  private static List<String> texts;
  private static List<BeirDocument> corpus;

  @BeforeClass
  public static void startCluster() throws Exception {
    Path models = Paths.get("target", "test-models").toAbsolutePath();
    documentModel = ModelCache.ensure(models, DOCUMENTS).manifest().fingerprint();
    work = Files.createTempDirectory("whetstone-rollout-test-");
    // outside the nodes' models dir: the nodes can only get the candidates from the file store
    int8Tower = queryTower(ModelCache.ensure(models, "all-minilm-l6-v2-q"), "minilm-int8-query");
    e5Tower = queryTower(ModelCache.ensure(models, "e5-small-v2-q"), "e5-as-minilm-query");
    corpus = writeGateData();

    cloud = BeirCloud.start(2, 0, models, DOCUMENTS, BeirConfigSet.locate());
    cloud.createCollection(COLLECTION, 2, 2);
    double seconds = cloud.index(COLLECTION, corpus, done -> {});
    System.out.printf("QueryTowerRolloutCloudTest: indexed %d documents in %.1f s%n",
        corpus.size(), seconds);
  }

  @AfterClass
  public static void stop() throws Exception {
    try {
      if (cloud != null) {
        cloud.close();
      }
    } finally {
      if (work != null) {
        IOUtils.rm(work);
      }
    }
  }

  /** A copy of {@code source} whose manifest declares it a query tower of the fp32 MiniLM. */
  private static Path queryTower(ModelDirectory source, String name) throws IOException {
    Path dir = Files.createDirectories(work.resolve(name));
    Files.copy(source.onnxFile(), dir.resolve(ModelDirectory.ONNX_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    Files.copy(source.tokenizerFile(), dir.resolve(ModelDirectory.TOKENIZER_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    writeTowerManifest(source.manifest(), name, source.manifest().fingerprint(), dir);
    return dir;
  }

  /** {@code m} as a query tower of the fp32 MiniLM, named {@code name}, for ONNX bytes {@code fingerprint}. */
  private static void writeTowerManifest(ModelManifest m, String name, String fingerprint, Path dir)
      throws IOException {
    new ModelManifest(name, m.version(), m.dimension(), m.pooling(), m.normalize(), m.maxLength(),
        m.queryPrefix(), m.documentPrefix(), m.similarity(), fingerprint, documentModel)
        .write(dir.resolve(ModelManifest.FILE_NAME));
  }

  /**
   * A BEIR folder of the first {@value #GATE_QUERIES} SciFact test queries and a corpus of their
   * judged documents filled up to {@value #CORPUS} with others; returns that corpus.
   */
  private static List<BeirDocument> writeGateData() throws IOException {
    BeirDataset scifact = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"));
    Qrels test = scifact.qrels("test");
    Map<String, String> queries = scifact.queries();
    Map<String, Map<String, Integer>> judged = new LinkedHashMap<>();
    Set<String> wanted = new LinkedHashSet<>();
    for (String id : test.queryIds()) {
      if (judged.size() == GATE_QUERIES) {
        break;
      }
      judged.put(id, test.judgments(id));
      wanted.addAll(test.judgments(id).keySet());
    }
    List<BeirDocument> corpus = new ArrayList<>();
    for (BeirDocument doc : scifact.corpus()) {
      if (wanted.contains(doc.id()) || corpus.size() + wanted.size() < CORPUS) {
        corpus.add(doc);
      }
    }
    data = Files.createDirectories(work.resolve("scifact-slice"));
    Files.createDirectories(data.resolve("qrels"));
    try (BufferedWriter out = Files.newBufferedWriter(data.resolve("corpus.jsonl"))) {
      for (BeirDocument doc : corpus) {
        JsonObject json = new JsonObject();
        json.addProperty("_id", doc.id());
        json.addProperty("title", doc.title());
        json.addProperty("text", doc.text());
        out.write(json + "\n");
      }
    }
    texts = new ArrayList<>();
    try (BufferedWriter out = Files.newBufferedWriter(data.resolve("queries.jsonl"));
        BufferedWriter qrels = Files.newBufferedWriter(data.resolve("qrels").resolve("test.tsv"))) {
      qrels.write("query-id\tcorpus-id\tscore\n");
      for (Map.Entry<String, Map<String, Integer>> query : judged.entrySet()) {
        JsonObject json = new JsonObject();
        json.addProperty("_id", query.getKey());
        json.addProperty("text", queries.get(query.getKey()));
        out.write(json + "\n");
        texts.add(queries.get(query.getKey()));
        for (Map.Entry<String, Integer> doc : query.getValue().entrySet()) {
          qrels.write(query.getKey() + "\t" + doc.getKey() + "\t" + doc.getValue() + "\n");
        }
      }
    }
    return corpus;
  }

  @Test
  public void deploysAndRollsBackUnderLoadWithoutAFailedRequest() throws Exception {
    String int8 = ModelDirectory.open(int8Tower).manifest().fingerprint();
    int logged = log().entries().size();
    assertServing(documentModel);
    try (Load load = new Load()) {
      Thread.sleep(500);
      Run deploy = run("deploy", "--solr-url", cloud.cloud().baseUrl(), "--collection", COLLECTION,
          "--model", int8Tower.toString(), "--data", data.toString(),
          "--queries", String.valueOf(GATE_QUERIES));
      assertEquals(deploy.output, ExitStatus.OK, deploy.status);
      assertServing(int8);
      DeploymentLog.Entry deployed = log().entries().get(logged);
      assertEquals(DeploymentLog.QUERY_TOWER, deployed.kind());
      assertEquals(documentModel, deployed.from());
      assertEquals(int8, deployed.to());
      assertNotNull(deployed.at());
      assertEquals(GATE_QUERIES, deployed.gate().queries());
      assertTrue(deployed.toString(), deployed.gate().current() > 0.3);
      assertEquals(deployed.gate().candidate() - deployed.gate().current(), deployed.gate().delta(), 1e-9);

      Run rollback = run("rollback", "--solr-url", cloud.cloud().baseUrl(), "--collection", COLLECTION);
      assertEquals(rollback.output, ExitStatus.OK, rollback.status);
      assertServing(documentModel);
      List<DeploymentLog.Entry> entries = log().entries();
      assertEquals(logged + 2, entries.size());
      assertEquals(new DeploymentLog.Entry(DeploymentLog.ROLLBACK, int8, documentModel,
          entries.get(logged + 1).at(), null), entries.get(logged + 1));

      Run again = run("rollback", "--solr-url", cloud.cloud().baseUrl(), "--collection", COLLECTION);
      assertEquals(again.output, ExitStatus.OK, again.status);
      assertTrue(again.output, again.output.contains("Nothing to roll back"));
      assertEquals(logged + 2, log().entries().size());
      assertServing(documentModel);
      Thread.sleep(500);
      load.assertNoFailure();
    }
  }

  @Test
  public void theOnlineGateRefusesATowerOfAnotherVectorSpace() throws Exception {
    int logged = log().entries().size();
    String property = QueryTowerSwitch.property("minilm");
    String before = property(property);
    assertServing(documentModel);
    Run deploy = run("deploy", "--solr-url", cloud.cloud().baseUrl(), "--collection", COLLECTION,
        "--model", e5Tower.toString(), "--data", data.toString());
    assertEquals(deploy.output, ExitStatus.GATE_REFUSED, deploy.status);
    assertTrue(deploy.output, deploy.output.contains("REFUSED"));
    assertServing(documentModel);
    assertEquals(before, property(property));
    assertEquals(logged, log().entries().size());
  }

  /**
   * Full mode through the command line, behind alias {@code docs}: a document model deployed (a
   * new collection, the online gate on it), another one deployed ({@code --keep 1} deletes the
   * first collection), a rollback one generation back, and a second rollback refused: the
   * collection it would go back to is gone. The models are the fp32 ones, not the int8 ones the
   * towers above are made of: a model's files are published under its ONNX fingerprint, and the
   * same ONNX with another manifest is refused there.
   */
  @Test
  public void deploysDocumentModelsBehindAnAliasAndRollsBackOneGeneration() throws Exception {
    // small: every document is embedded again twice, by 133 MB fp32 models
    List<BeirDocument> documents = fullModeCorpus();
    cloud.createCollection("docs_v1", 2, 1);
    cloud.index("docs_v1", documents, done -> {});
    CollectionAdminRequest.createAlias("docs", "docs_v1").process(cloud.cloud().client());
    Path models = Paths.get("target", "test-models").toAbsolutePath();
    ModelDirectory bge = ModelCache.ensure(models, "bge-small-en-v1.5");
    ModelDirectory e5 = ModelCache.ensure(models, "e5-small-v2");
    String bgeCollection = "docs_" + bge.manifest().fingerprint().substring(0, 8);
    String e5Collection = "docs_" + e5.manifest().fingerprint().substring(0, 8);
    String[] full = {"--solr-url", cloud.cloud().baseUrl(), "--collection", "docs", "--threads",
        "2", "--keep", "1", "--work-dir", work.resolve("full-mode").toString()};

    Run first = run(concat("deploy", full, "--model", bge.path().toString(), "--data",
        data.toString(), "--queries", String.valueOf(FULL_MODE_GATE_QUERIES)));
    assertEquals(first.output, ExitStatus.OK, first.status);
    try (SolrAdmin admin = new SolrAdmin(cloud.cloud().baseUrl())) {
      assertEquals(bgeCollection, admin.resolve("docs"));
      assertEquals(bge.manifest().fingerprint(),
          admin.collectionProperty(bgeCollection, "whetstone.minilm.documentModel"));
      assertEquals(documents.size(), count(bgeCollection));
      assertReembedded("docs_v1", bgeCollection);
      DeploymentLog.Entry deployed = DeploymentLog.read(admin, bgeCollection, "minilm").inEffect();
      assertEquals(new DeploymentLog.Entry(DeploymentLog.FULL, "docs_v1", bgeCollection,
          deployed.at(), deployed.gate()), deployed);
      assertEquals(FULL_MODE_GATE_QUERIES, deployed.gate().queries());

      Run second = run(concat("deploy", full, "--model", e5.path().toString()));
      assertEquals(second.output, ExitStatus.OK, second.status);
      assertEquals(e5Collection, admin.resolve("docs"));
      assertNull("docs_v1 is beyond --keep 1",
          cloud.cloud().client().getClusterStateProvider().getState("docs_v1"));
      assertEquals(documents.size(), count(e5Collection));
      assertReembedded(bgeCollection, e5Collection);

      Run back = run(concat("rollback", full));
      assertEquals(back.output, ExitStatus.OK, back.status);
      assertEquals(bgeCollection, admin.resolve("docs"));
      List<DeploymentLog.Entry> log = DeploymentLog.read(admin, bgeCollection, "minilm").entries();
      assertEquals(List.of(DeploymentLog.FULL, DeploymentLog.FULL, DeploymentLog.ROLLBACK),
          log.stream().map(DeploymentLog.Entry::kind).toList());
      assertEquals(e5Collection, log.get(2).from());
      assertEquals(bgeCollection, log.get(2).to());

      Run again = run(concat("rollback", full));
      assertEquals(again.output, ExitStatus.FAILED, again.status);
      assertEquals(bgeCollection, admin.resolve("docs"));
    }
  }

  /** The documents judged for the first gate queries and 20 others. */
  private static List<BeirDocument> fullModeCorpus() throws IOException {
    Qrels qrels = BeirDataset.open(data).qrels("test");
    Set<String> judged = new LinkedHashSet<>();
    qrels.queryIds().stream().limit(FULL_MODE_GATE_QUERIES)
        .forEach(id -> judged.addAll(qrels.judgments(id).keySet()));
    List<BeirDocument> documents = new ArrayList<>();
    int others = 0;
    for (BeirDocument doc : corpus) {
      if (judged.contains(doc.id()) || others++ < 20) {
        documents.add(doc);
      }
    }
    return documents;
  }

  private static String[] concat(String command, String[] options, String... more) {
    List<String> args = new ArrayList<>(List.of(command));
    args.addAll(List.of(options));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  private static long count(String collection) throws Exception {
    return cloud.cloud().client().query(collection, new SolrQuery("*:*").setRows(0)).getResults()
        .getNumFound();
  }

  /** The first document's vector in {@code to} is not the one in {@code from}: embedded again. */
  private static void assertReembedded(String from, String to) throws Exception {
    SolrQuery first = new SolrQuery("*:*").setFields("vector").setRows(1)
        .setSort("id", SolrQuery.ORDER.asc);
    List<?> before = (List<?>) cloud.cloud().client().query(from, first).getResults().get(0)
        .getFieldValue("vector");
    List<?> after = (List<?>) cloud.cloud().client().query(to, first).getResults().get(0)
        .getFieldValue("vector");
    double largest = 0;
    for (int i = 0; i < before.size(); i++) {
      largest = Math.max(largest, Math.abs(((Number) before.get(i)).doubleValue()
          - ((Number) after.get(i)).doubleValue()));
    }
    assertTrue(to + " holds " + from + "'s vector (largest difference " + largest + ")",
        largest > 1e-3);
  }

  /**
   * A tower every replica refuses (its model.onnx is no ONNX model; without --data no gate loads
   * it first): the property goes back to what it was, every replica still serves the old tower,
   * nothing is logged, exit 1.
   */
  @Test
  public void aTowerTheReplicasRefuseIsSwitchedBack() throws Exception {
    Path broken = Files.createDirectories(work.resolve("broken-onnx"));
    Files.writeString(broken.resolve(ModelDirectory.ONNX_FILE), "not an ONNX model");
    Files.copy(int8Tower.resolve(ModelDirectory.TOKENIZER_FILE),
        broken.resolve(ModelDirectory.TOKENIZER_FILE), StandardCopyOption.REPLACE_EXISTING);
    writeTowerManifest(ModelDirectory.open(int8Tower).manifest(), "broken-onnx",
        ModelDirectory.sha256(broken.resolve(ModelDirectory.ONNX_FILE)), broken);
    int logged = log().entries().size();
    String property = QueryTowerSwitch.property("minilm");
    String before = property(property);
    Run deploy = run("deploy", "--solr-url", cloud.cloud().baseUrl(), "--collection", COLLECTION,
        "--model", broken.toString());
    assertEquals(deploy.output, ExitStatus.FAILED, deploy.status);
    assertTrue(deploy.output, deploy.output.contains("refused it: "
        + ModelDirectory.open(broken).manifest().fingerprint()));
    assertTrue(deploy.output, deploy.output.contains("Every replica serves " + documentModel + " again"));
    assertServing(documentModel);
    assertEquals(before, property(property));
    assertEquals(logged, log().entries().size());
  }

  /**
   * The HTTP calls the commands rely on, against Solr 9.10: replicas, collection properties set,
   * read (through the ZooKeeper read API) and removed, an alias resolved, the file store taking
   * the same bytes twice and refusing other bytes under a published name.
   */
  @Test
  public void theAdminCallsWorkOnThisSolr() throws Exception {
    try (SolrAdmin admin = new SolrAdmin(cloud.cloud().baseUrl())) {
      List<SolrAdmin.Replica> replicas = admin.replicas(COLLECTION);
      assertEquals(replicas.toString(), 4, replicas.size());
      assertTrue(replicas.toString(), replicas.stream().allMatch(SolrAdmin.Replica::active));
      assertEquals(2, replicas.stream().filter(SolrAdmin.Replica::leader).count());

      assertNull(admin.collectionProperty(COLLECTION, "whetstone.test.p"));
      admin.setCollectionProperty(COLLECTION, "whetstone.test.p", "[{\"a\":1}]");
      assertEquals("[{\"a\":1}]", admin.collectionProperty(COLLECTION, "whetstone.test.p"));
      admin.setCollectionProperty(COLLECTION, "whetstone.test.p", null);
      assertNull(admin.collectionProperty(COLLECTION, "whetstone.test.p"));

      CollectionAdminRequest.createAlias("rollout_alias", COLLECTION).process(admin.client());
      assertEquals(COLLECTION, admin.resolve("rollout_alias"));

      ModelPublisher publisher = new ModelPublisher(admin.solrUrl(), System.out);
      List<String> nodes = admin.replicas(COLLECTION).stream().map(SolrAdmin.Replica::baseUrl)
          .distinct().toList();
      publisher.publish(int8Tower, nodes); // returns once every node holds whole copies
      publisher.publish(int8Tower, nodes); // the same bytes again: accepted
      Path changed = Files.createDirectories(work.resolve("changed-tokenizer"));
      for (String file : new String[] {ModelDirectory.ONNX_FILE, ModelManifest.FILE_NAME}) {
        Files.copy(int8Tower.resolve(file), changed.resolve(file));
      }
      Files.writeString(changed.resolve(ModelDirectory.TOKENIZER_FILE),
          Files.readString(int8Tower.resolve(ModelDirectory.TOKENIZER_FILE)) + " ");
      IOException refused = assertThrows(IOException.class,
          () -> publisher.publish(changed, nodes));
      assertTrue(refused.getMessage(), refused.getMessage().contains(ModelDirectory.TOKENIZER_FILE)
          && refused.getMessage().contains("already holds"));
    }
  }

  private static String property(String name) throws IOException {
    try (SolrAdmin admin = new SolrAdmin(cloud.cloud().baseUrl())) {
      return admin.collectionProperty(COLLECTION, name);
    }
  }

  /** What a command printed and returned. */
  private record Run(int status, String output) {}

  /** Runs the CLI in this JVM, its output shown and captured. */
  private static synchronized Run run(String... args) {
    PrintStream console = System.out;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setOut(new PrintStream(new Tee(console, captured), true, StandardCharsets.UTF_8));
    try {
      int status = Whetstone.commandLine().execute(args);
      return new Run(status, captured.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(console);
    }
  }

  private static DeploymentLog log() throws IOException {
    try (SolrAdmin admin = new SolrAdmin(cloud.cloud().baseUrl())) {
      return DeploymentLog.read(admin, COLLECTION, "minilm");
    }
  }

  /** Every core of the collection, read in this JVM (not over HTTP as the command does). */
  private static void assertServing(String fingerprint) {
    List<String> cores = new ArrayList<>();
    for (JettySolrRunner node : cloud.cloud().nodes()) {
      for (SolrCore core : node.getCoreContainer().getCores()) {
        if (COLLECTION.equals(core.getCoreDescriptor().getCollectionName())) {
          Gauge<?> gauge = core.getSolrMetricsContext().getMetricRegistry().getGauges()
              .get(PREFIX + "queryModel");
          assertNotNull(core.getName() + " has no gauge " + PREFIX + "queryModel", gauge);
          assertEquals(core.getName(), fingerprint, String.valueOf(gauge.getValue()));
          cores.add(core.getName());
        }
      }
    }
    assertEquals(cores.toString(), 4, cores.size());
  }

  /** 8 threads sending {@code {!embed}} and {@code {!hybrid}} queries until closed. */
  private static final class Load implements AutoCloseable {
    private final AtomicBoolean stop = new AtomicBoolean();
    private final AtomicInteger requests = new AtomicInteger();
    private final AtomicInteger failures = new AtomicInteger();
    private final AtomicReference<Exception> first = new AtomicReference<>();
    private final ExecutorService threads = Executors.newFixedThreadPool(8);
    private final List<Future<?>> running = new ArrayList<>();

    Load() {
      for (int t = 0; t < 8; t++) {
        RetrievalMode mode = t % 2 == 0 ? RetrievalMode.DENSE : RetrievalMode.HYBRID;
        int thread = t;
        running.add(threads.submit(() -> {
          for (int i = thread; !stop.get(); i++) {
            try {
              cloud.runner(COLLECTION).topIds(mode, texts.get(i % texts.size()), 10);
              requests.incrementAndGet();
            } catch (Exception e) {
              failures.incrementAndGet();
              first.compareAndSet(null, e);
            }
          }
        }));
      }
    }

    void assertNoFailure() throws Exception {
      stop.set(true);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      System.out.printf("QueryTowerRolloutCloudTest: %d requests during deploy and rollback, %d "
          + "failed%n", requests.get(), failures.get());
      assertTrue("requests: " + requests.get(), requests.get() > 100);
      assertEquals("failed requests (first: " + first.get() + ")", 0, failures.get());
    }

    @Override
    public void close() throws InterruptedException {
      stop.set(true);
      threads.shutdown();
      threads.awaitTermination(60, TimeUnit.SECONDS);
    }
  }

  /** Writes to two streams. */
  private static final class Tee extends OutputStream {
    private final OutputStream a;
    private final OutputStream b;

    Tee(OutputStream a, OutputStream b) {
      this.a = a;
      this.b = b;
    }

    @Override
    public void write(int c) throws IOException {
      a.write(c);
      b.write(c);
    }

    @Override
    public void write(byte[] bytes, int off, int len) throws IOException {
      a.write(bytes, off, len);
      b.write(bytes, off, len);
    }
  }
}
