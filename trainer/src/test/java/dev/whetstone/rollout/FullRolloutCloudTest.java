package dev.whetstone.rollout;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.model.DocumentText;
import dev.whetstone.model.Encoder;
import dev.whetstone.workspace.BeirConfigSet;
import dev.whetstone.workspace.ModelCache;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.params.CoreAdminParams;
import org.apache.solr.common.params.CursorMarkParams;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A full roll-out in a real 2-node SolrCloud: alias {@code C} moves from {@code C_v1} (2 shards x
 * 2 replicas, its documents embedded by the int8 MiniLM) to {@code C_v2} (the fp32 MiniLM) while
 * a writer adds, updates and deletes through the name {@code C} and a reader queries it; then
 * back.
 */
@SolrTestCaseJ4.SuppressSSL(bugUrl = "the per-node client built here speaks plain HTTP")
public class FullRolloutCloudTest extends SolrCloudTestCase {
  private static final String CONFIG = "beir";
  private static final String INT8 = "all-minilm-l6-v2-q";
  private static final String FP32 = "all-minilm-l6-v2";
  private static final int ORIGINALS = 150;

  private static List<BeirDocument> corpus;
  private static Encoder int8;
  private static Encoder fp32;
  private static Http2SolrClient nodes;

  @BeforeClass
  public static void startCluster() throws Exception {
    corpus = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact")).corpus();
    Path models = Paths.get("target", "test-models").toAbsolutePath();
    int8 = Encoder.load(ModelCache.ensure(models, INT8));
    fp32 = Encoder.load(ModelCache.ensure(models, FP32));
    System.setProperty("whetstone.models.dir", models.toString());
    configureCluster(2).addConfig(CONFIG, BeirConfigSet.locate()).configure();
    nodes = new Http2SolrClient.Builder().build();
  }

  @AfterClass
  public static void stop() throws Exception {
    System.clearProperty("whetstone.models.dir");
    for (AutoCloseable c : new AutoCloseable[] {nodes, int8, fp32}) {
      if (c != null) {
        c.close();
      }
    }
  }

  /** A collection of the beir configset whose model is {@code model} (a core property). */
  private static void create(String name, String model, int shards, int replicas) throws Exception {
    CollectionAdminRequest.createCollection(name, CONFIG, shards, replicas)
        .withProperty("whetstone.model.path", model).process(cluster.getSolrClient());
    cluster.waitForActiveCollection(name, shards, shards * replicas);
  }

  private static void index(String collection, List<BeirDocument> docs) throws Exception {
    List<SolrInputDocument> inputs = new ArrayList<>();
    for (BeirDocument doc : docs) {
      inputs.add(new SolrInputDocument("id", doc.id(), "title", doc.title(), "text", doc.text()));
    }
    cluster.getSolrClient().add(collection, inputs);
    cluster.getSolrClient().commit(collection);
  }

  private static FullRollout.Settings settings(Path workDir) {
    return new FullRollout.Settings("vector", 2, 25, Duration.ofSeconds(2), 30, 3, 1,
        Duration.ofSeconds(60), workDir);
  }

  @Test
  public void rollsOutUnderWritesAndQueriesThenRollsBack() throws Exception {
    CloudSolrClient client = cluster.getSolrClient();
    create("C_v1", INT8, 2, 2);
    index("C_v1", corpus.subList(0, ORIGINALS));
    CollectionAdminRequest.createAlias("C", "C_v1").process(client);
    LiveTraffic traffic = new LiveTraffic(client, "C", corpus.subList(0, ORIGINALS),
        corpus.subList(ORIGINALS, corpus.size()));
    assertNotFp32(assertHolds("C_v1", traffic.expected()));

    FullRollout engine = new FullRollout(client, nodes, settings(createTempDir()), System.out);
    AtomicReference<String> gated = new AtomicReference<>();
    traffic.start();
    FullRollout.Outcome out = engine.rollout("C", "C_v2", c -> create(c, FP32, 2, 2), c -> {
      gated.set(c);
      return client.query(c, new SolrQuery("*:*").setRows(0)).getResults().getNumFound() > 0;
    });
    traffic.stopAfter(10);
    report("roll-out", out, traffic);
    assertNull("traffic failed: " + traffic.failure(), traffic.failure());
    assertEquals(0, traffic.failedQueries());
    assertEquals("C_v2", gated.get());
    assertEquals("C_v2", aliasOnEveryNode("C"));
    assertTrue("C_v1 is kept read-only for a rollback", readOnly("C_v1"));
    assertEquals("C_v2,C_v1", new CollectionAdminRequest.ListAliases().process(client)
        .getAliasProperties().get("C").get(Generations.LIST));
    assertFp32(assertHolds("C_v2", traffic.expected()));

    traffic.start();
    FullRollout.Outcome back = engine.rollback("C", "C_v1");
    traffic.stopAfter(10);
    report("rollback", back, traffic);
    assertNull("traffic failed: " + traffic.failure(), traffic.failure());
    assertEquals(0, traffic.failedQueries());
    assertEquals("C_v1", aliasOnEveryNode("C"));
    assertFalse(readOnly("C_v1"));
    assertTrue(readOnly("C_v2"));
    assertNotFp32(assertHolds("C_v1", traffic.expected()));
  }

  /** An interrupted copy, run again, ends as a copy that ran through. */
  @Test
  public void resumesAnInterruptedCopyFromItsCheckpoint() throws Exception {
    CloudSolrClient client = cluster.getSolrClient();
    List<BeirDocument> docs = corpus.subList(1000, 1120);
    create("resume_src", INT8, 1, 1);
    index("resume_src", docs);
    create("resume_dst", FP32, 1, 1);
    Path work = createTempDir();
    CollectionCopy copy = new CollectionCopy(client, "resume_src", "resume_dst", "vector", work, 2,
        20, System.out, Duration.ofSeconds(2));

    CollectionCopy.Result first = copy.stoppingAfter(2).run();
    assertEquals(40, first.documents());
    assertTrue(copy.hasCheckpoint());
    CollectionCopy.Result rest = copy.run();
    assertEquals("the rerun starts at the checkpoint", 80, rest.documents());
    assertEquals(120, rest.copiedInAll());
    Map<String, BeirDocument> expected = new HashMap<>();
    docs.forEach(d -> expected.put(d.id(), d));
    assertFp32(assertHolds("resume_dst", expected));

    create("fresh", FP32, 1, 1);
    long start = System.nanoTime();
    try (ParallelSender sender = new ParallelSender(client, "fresh", "id", 2, upTo -> {})) {
      for (int b = 0; b < docs.size() / 20; b++) {
        List<SolrInputDocument> batch = new ArrayList<>();
        for (BeirDocument d : docs.subList(20 * b, 20 * b + 20)) {
          batch.add(new SolrInputDocument("id", d.id(), "title", d.title(), "text", d.text()));
        }
        sender.send(b, batch);
      }
      sender.finish();
    }
    client.commit("fresh");
    double freshRate = docs.size() / ((System.nanoTime() - start) / 1e9);
    CollectionCopy whole = new CollectionCopy(client, "resume_src", "fresh_copy", "vector",
        createTempDir(), 2, 20, System.out, Duration.ofSeconds(2));
    create("fresh_copy", FP32, 1, 1);
    double copyRate = whole.run().documentsPerSecond();
    System.out.printf(Locale.ROOT, "FullRolloutCloudTest: copy %.1f docs/s, fresh index %.1f docs/s: %.2fx%n",
        copyRate, freshRate, copyRate / freshRate);
  }

  /** What a writer sees on a fenced collection, and what the fence costs: a reload of each core. */
  @Test
  public void fenceRefusesWritesWith403AndReloadsEveryCore() throws Exception {
    CloudSolrClient client = cluster.getSolrClient();
    create("fenced", FP32, 2, 1);
    index("fenced", corpus.subList(2000, 2010));
    Map<String, Long> startTimes = coreStartTimes("fenced");
    WriteFence fence = new WriteFence(client, nodes, Duration.ofSeconds(60));
    long begin = System.nanoTime();
    fence.fence("fenced");
    System.out.printf(Locale.ROOT, "FullRolloutCloudTest: fence of a 2x1 collection took %.2f s%n",
        (System.nanoTime() - begin) / 1e9);
    Map<String, Long> reloaded = coreStartTimes("fenced");
    startTimes.forEach((core, t) -> assertTrue(core + " reloaded", reloaded.get(core) > t));

    SolrException add = expectThrows(SolrException.class,
        () -> client.add("fenced", new SolrInputDocument("id", "x", "text", "refused")));
    assertEquals(403, add.code());
    assertTrue(add.getMessage(), add.getMessage().contains("Collection fenced is read-only."));
    SolrException delete = expectThrows(SolrException.class, () -> client.deleteById("fenced", "x"));
    assertEquals(403, delete.code());
    SolrException commit = expectThrows(SolrException.class, () -> client.commit("fenced"));
    assertEquals(403, commit.code());
    assertEquals(10, client.query("fenced", new SolrQuery("*:*")).getResults().getNumFound());

    fence.lift("fenced");
    client.add("fenced", new SolrInputDocument("id", "x", "text", "accepted"));
    client.commit("fenced");
    assertEquals(11, client.query("fenced", new SolrQuery("*:*")).getResults().getNumFound());
  }

  /** The collection's readOnly flag as ZooKeeper has it now. */
  private static boolean readOnly(String collection) throws Exception {
    cluster.getZkStateReader().forceUpdateCollection(collection);
    return cluster.getZkStateReader().getClusterState().getCollection(collection).isReadOnly();
  }

  private static Map<String, Long> coreStartTimes(String collection) throws Exception {
    Map<String, Long> times = new TreeMap<>();
    for (Replica r : cluster.getSolrClient().getClusterStateProvider().getCollection(collection)
        .getReplicas()) {
      CoreAdminRequest request = new CoreAdminRequest();
      request.setAction(CoreAdminParams.CoreAdminAction.STATUS);
      request.setCoreName(r.getCoreName());
      var status = nodes.requestWithBaseUrl(r.getBaseUrl(), null, request);
      times.put(r.getCoreName(), ((Date) status.getCoreStatus(r.getCoreName())
          .get("startTime")).getTime());
    }
    return times;
  }

  /** What each live node's LISTALIASES says {@code alias} names, all alike. */
  private static String aliasOnEveryNode(String alias) throws Exception {
    List<String> seen = new ArrayList<>();
    for (var jetty : cluster.getJettySolrRunners()) {
      seen.add(nodes.requestWithBaseUrl(jetty.getBaseUrl().toString(), null,
          new CollectionAdminRequest.ListAliases()).getAliases().get(alias));
    }
    assertEquals("every node alike: " + seen, 1, seen.stream().distinct().count());
    return seen.get(0);
  }

  /** The stored documents of a collection in id order, with their embedded texts and vectors. */
  private record Stored(String collection, List<String> ids, List<String> texts,
      List<float[]> vectors) {}

  /**
   * Asserts {@code collection} holds exactly {@code expected} (ids, titles, texts) once committed
   * (the writes after a swap are not, yet).
   */
  private static Stored assertHolds(String collection, Map<String, BeirDocument> expected)
      throws Exception {
    cluster.getSolrClient().commit(collection);
    SolrQuery all = new SolrQuery("*:*").setFields("id", "title", "text", "vector").setRows(500)
        .setSort("id", SolrQuery.ORDER.asc);
    Map<String, BeirDocument> actual = new TreeMap<>();
    Stored stored = new Stored(collection, new ArrayList<>(), new ArrayList<>(), new ArrayList<>());
    CursorScan.scan(cluster.getSolrClient(), collection, all, CursorMarkParams.CURSOR_MARK_START,
        (page, after) -> {
          for (SolrDocument d : page) {
            String id = (String) d.getFieldValue("id");
            String title = (String) d.getFirstValue("title");
            String text = (String) d.getFirstValue("text");
            actual.put(id, new BeirDocument(id, title, text));
            stored.ids().add(id);
            stored.texts().add(DocumentText.join(Arrays.asList(title, text)));
            List<?> values = (List<?>) d.getFieldValue("vector");
            float[] vector = new float[values.size()];
            for (int k = 0; k < vector.length; k++) {
              vector[k] = ((Number) values.get(k)).floatValue();
            }
            stored.vectors().add(vector);
          }
          return true;
        });
    List<String> wrong = new ArrayList<>();
    for (String id : new java.util.TreeSet<>(union(expected.keySet(), actual.keySet()))) {
      if (!java.util.Objects.equals(expected.get(id), actual.get(id))) {
        wrong.add(id + (actual.containsKey(id) ? expected.containsKey(id) ? " (other text)"
            : " (deleted by the writer)" : " (missing)"));
      }
    }
    assertEquals(collection + " differs from the writer's documents", List.of(), wrong);
    return stored;
  }

  /** Each vector is a fresh fp32 embedding of its stored title and text, to 1e-5. */
  private static void assertFp32(Stored stored) {
    float[][] fresh = fp32.encodeDocuments(stored.texts());
    for (int i = 0; i < fresh.length; i++) {
      float worst = maxDifference(fresh[i], stored.vectors().get(i));
      assertTrue(stored.collection() + " " + stored.ids().get(i) + ": vector differs by " + worst
          + " from the fp32 embedding of its text", worst <= 1e-5f);
    }
  }

  /**
   * No vector is the fp32 embedding of its text (the configset's default model, which a
   * collection would run had its core property not taken effect), to 1e-3. The int8 vectors
   * cannot be compared with a fresh int8 embedding: that model quantizes its activations with one
   * scale per batch, so a vector depends on the documents embedded alongside (measured here:
   * batch of 1 vs 32 up to 0.021 apart, cosine down to 0.982).
   */
  private static void assertNotFp32(Stored stored) {
    float[][] fp32Vectors = fp32.encodeDocuments(stored.texts());
    for (int i = 0; i < fp32Vectors.length; i++) {
      assertTrue(stored.collection() + " " + stored.ids().get(i) + " holds the fp32 embedding",
          maxDifference(fp32Vectors[i], stored.vectors().get(i)) > 1e-3f);
    }
  }

  private static java.util.Set<String> union(java.util.Set<String> a, java.util.Set<String> b) {
    java.util.Set<String> all = new java.util.HashSet<>(a);
    all.addAll(b);
    return all;
  }

  private static float maxDifference(float[] a, float[] b) {
    assertEquals("vector length", a.length, b.length);
    float worst = 0;
    for (int k = 0; k < a.length; k++) {
      worst = Math.max(worst, Math.abs(a[k] - b[k]));
    }
    return worst;
  }

  private static void report(String step, FullRollout.Outcome out, LiveTraffic traffic) {
    System.out.printf(Locale.ROOT, "FullRolloutCloudTest %s: %s%n  writer: %d writes, %d refused by the fence "
        + "(%s); reader: %d queries, %d failed%n", step, out, traffic.writes(), traffic.refused(),
        traffic.refusal(), traffic.queries(), traffic.failedQueries());
  }
}
