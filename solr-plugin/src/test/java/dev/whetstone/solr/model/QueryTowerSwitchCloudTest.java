package dev.whetstone.solr.model;

import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.TestModels;
import dev.whetstone.solr.BeirCloudTestCase;
import dev.whetstone.solr.ParsersTestCase;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.ExecutorUtil;
import org.apache.solr.common.util.SolrNamedThreadFactory;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Switching a collection's query tower with one Config API call ({@code set-user-property},
 * referenced as {@code ${whetstone.query.model.path:}} in the conf-examples solrconfig.xml) while
 * 8 client threads query it: every core reloads with the new tower, no request fails, and the
 * scores afterwards are those of the new tower's query vectors.
 */
public class QueryTowerSwitchCloudTest extends BeirCloudTestCase {
  private static final String COLLECTION = "switching";
  private static final String TOWER = "minilm-int8-query-tower";
  private static final String TEXT = "which medicine brings a fever down";

  @BeforeClass
  public static void startCluster() throws Exception {
    ModelDirectory documents = TestModels.get("all-minilm-l6-v2");
    queryTowerFor(documents);
    startBeirCluster(2, TestModels.root(), Map.of());
    createCollection(COLLECTION, 2, 1);
    List<SolrInputDocument> docs = new ArrayList<>();
    for (String[] doc : ParsersTestCase.DOCS) {
      docs.add(new SolrInputDocument("id", doc[0], "title", doc[2], "text", doc[3]));
    }
    cluster.getSolrClient().add(COLLECTION, docs);
    cluster.getSolrClient().commit(COLLECTION);
  }

  /**
   * The int8 MiniLM declared as a query tower of the fp32 MiniLM (what {@code whetstone train
   * --mode query-tower} exports: a query-only manifest naming its document model): its query
   * vectors are close to, but not the same as, the document model's.
   */
  private static void queryTowerFor(ModelDirectory documents) throws Exception {
    ModelDirectory int8 = TestModels.quantizedMiniLm();
    Path dir = Files.createDirectories(TestModels.root().resolve(TOWER));
    Files.copy(int8.onnxFile(), dir.resolve(ModelDirectory.ONNX_FILE), StandardCopyOption.REPLACE_EXISTING);
    Files.copy(int8.tokenizerFile(), dir.resolve(ModelDirectory.TOKENIZER_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    ModelManifest m = int8.manifest();
    new ModelManifest(TOWER, m.version(), m.dimension(), m.pooling(), m.normalize(), m.maxLength(),
        m.queryPrefix(), m.documentPrefix(), m.similarity(), m.fingerprint(),
        documents.manifest().fingerprint()).write(dir.resolve(ModelManifest.FILE_NAME));
  }

  @Test
  public void switchesTheQueryTowerUnderLoadWithoutAFailedRequest() throws Exception {
    String embed = "{!embed f=vector model=minilm topK=5}";
    String hybrid = "{!hybrid f=vector model=minilm lexicalQf='title text' fusion=linear}";
    List<String> before = idsAndScores(new SolrQuery(embed + TEXT));
    assertSameHits(expectedScores("all-minilm-l6-v2"), before);

    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<Exception> firstFailure = new AtomicReference<>();
    ExecutorService clients = ExecutorUtil.newMDCAwareFixedThreadPool(8,
        new SolrNamedThreadFactory("switch-client"));
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 8; t++) {
      String parser = t % 2 == 0 ? embed : hybrid;
      int thread = t;
      running.add(clients.submit(() -> {
        for (int i = 0; !stop.get(); i++) {
          try {
            // a new text now and then, so both the cache and the model are exercised
            cluster.getSolrClient().query(COLLECTION,
                new SolrQuery(parser + TEXT + (i % 4 == 0 ? " " + thread + "-" + i : "")));
            requests.incrementAndGet();
          } catch (Exception e) {
            failures.incrementAndGet();
            firstFailure.compareAndSet(null, e);
          }
        }
      }));
    }
    try {
      Thread.sleep(1000);
      int beforeSwitch = requests.get();
      setUserProperty("whetstone.query.model.path", TOWER);
      List<String> expected = expectedScores(TOWER);
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      List<String> after = idsAndScores(new SolrQuery(embed + TEXT));
      while (!sameHits(expected, after) && System.nanoTime() < deadline) {
        Thread.sleep(200);
        after = idsAndScores(new SolrQuery(embed + TEXT));
      }
      assertSameHits(expected, after);
      assertFalse("the scores changed", sameHits(before, after));
      Thread.sleep(1000);
      stop.set(true);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      assertTrue("requests during the switch: " + requests.get(), requests.get() > beforeSwitch);
      assertEquals("failed requests (first: " + firstFailure.get() + ")", 0, failures.get());
    } finally {
      stop.set(true);
      ExecutorUtil.shutdownAndAwaitTermination(clients);
    }
  }

  /** {@code {!knn}} results for the query vector of {@code model} (a directory of the models dir). */
  private static List<String> expectedScores(String model) throws Exception {
    float[] vector;
    try (Encoder encoder = Encoder.load(ModelDirectory.open(TestModels.root().resolve(model)))) {
      vector = encoder.encodeQuery(TEXT);
    }
    return idsAndScores(new SolrQuery("{!knn f=vector topK=5}" + ParsersTestCase.vectorText(vector)));
  }

  /** Same documents in the same order, scores equal to 1e-6 (ONNX Runtime thread counts differ). */
  private static boolean sameHits(List<String> expected, List<String> actual) {
    if (expected.size() != actual.size()) {
      return false;
    }
    for (int i = 0; i < expected.size(); i++) {
      String[] e = expected.get(i).split(" ");
      String[] a = actual.get(i).split(" ");
      if (!e[0].equals(a[0]) || Math.abs(Float.parseFloat(e[1]) - Float.parseFloat(a[1])) > 1e-6) {
        return false;
      }
    }
    return true;
  }

  private static void assertSameHits(List<String> expected, List<String> actual) {
    assertTrue("expected " + expected + ", got " + actual, sameHits(expected, actual));
  }

  private static void setUserProperty(String name, String value) throws Exception {
    String body = "{\"set-user-property\": {\"" + name + "\": \"" + value + "\"}}";
    new GenericSolrRequest(SolrRequest.METHOD.POST, "/config")
        .setRequiresCollection(true)
        .withContent(body.getBytes(StandardCharsets.UTF_8), "application/json")
        .process(cluster.getSolrClient(), COLLECTION);
  }

  private static List<String> idsAndScores(SolrQuery query) throws Exception {
    query.setFields("id", "score");
    List<String> hits = new ArrayList<>();
    for (SolrDocument doc : cluster.getSolrClient().query(COLLECTION, query).getResults()) {
      hits.add(doc.getFieldValue("id") + " " + doc.getFieldValue("score"));
    }
    return hits;
  }
}
