package dev.whetstone.solr.update;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.whetstone.model.DocumentText;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.TestModels;
import dev.whetstone.solr.BeirCloudTestCase;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.zip.GZIPInputStream;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A SciFact slice ingested through the embedding processor into a 2-shard x 2-replica collection
 * while one of the two nodes is stopped and started again; the client retries failed batches as
 * SolrJ users do. After recovery every replica holds every document, each with the vector a fresh
 * embedding of its text gives: nothing lost, nothing half-embedded.
 */
public class IngestUnderNodeFailureCloudTest extends BeirCloudTestCase {
  private static final String COLLECTION = "ingest";
  private static final int DOCS = 160;
  private static final int BATCH = 10;

  @BeforeClass
  public static void startCluster() throws Exception {
    TestModels.get("all-minilm-l6-v2");
    startBeirCluster(2, TestModels.root(), Map.of());
    createCollection(COLLECTION, 2, 2);
  }

  @Test
  public void everyReplicaHoldsEveryDocumentWithItsEmbeddingAfterANodeRestart() throws Exception {
    List<SolrInputDocument> docs = scifactSlice();
    int quarter = DOCS / 4;
    AtomicInteger retries = new AtomicInteger();
    CountDownLatch firstQuarterSent = new CountDownLatch(1);
    CountDownLatch nodeStopped = new CountDownLatch(1);
    CountDownLatch thirdQuarterSent = new CountDownLatch(1);
    CountDownLatch nodeStarted = new CountDownLatch(1);
    ExecutorService ingest = Executors.newSingleThreadExecutor();
    Future<?> done = ingest.submit(() -> {
      send(docs.subList(0, quarter), retries);
      firstQuarterSent.countDown();
      send(docs.subList(quarter, 2 * quarter), retries); // while the node stops
      await(nodeStopped);
      send(docs.subList(2 * quarter, 3 * quarter), retries); // while it is down
      thirdQuarterSent.countDown();
      await(nodeStarted);
      send(docs.subList(3 * quarter, DOCS), retries); // while it recovers
      return null;
    });
    try {
      await(firstQuarterSent);
      JettySolrRunner node = cluster.getJettySolrRunner(1);
      cluster.stopJettySolrRunner(node);
      cluster.waitForJettyToStop(node);
      nodeStopped.countDown();
      await(thirdQuarterSent);
      cluster.startJettySolrRunner(node);
      cluster.waitForNode(node, 60);
      nodeStarted.countDown();
      done.get(300, TimeUnit.SECONDS);
    } finally {
      nodeStopped.countDown();
      nodeStarted.countDown();
      ingest.shutdownNow();
    }
    cluster.waitForActiveCollection(COLLECTION, 60, TimeUnit.SECONDS, 2, 4);
    cluster.getSolrClient().commit(COLLECTION);
    System.out.printf(Locale.ROOT, "ingest with a node restart: %d documents, %d batch retries%n",
        DOCS, retries.get());

    Map<String, float[]> expected = freshEmbeddings(docs);
    int replicas = 0;
    for (Replica replica : getCollectionState(COLLECTION).getReplicas()) {
      try (SolrClient core = new Http2SolrClient.Builder(replica.getBaseUrl())
          .withDefaultCollection(replica.getCoreName()).build()) {
        SolrDocumentList found = core.query(new SolrQuery("*:*").setRows(DOCS)
            .setFields("id", "vector").set("distrib", "false")).getResults();
        for (SolrDocument doc : found) {
          String id = (String) doc.getFieldValue("id");
          assertVectorEquals(replica.getCoreName() + " doc " + id, expected.get(id),
              doc.getFieldValues("vector"));
        }
        replicas++;
        // the two replicas of a shard hold the same documents; the shards together hold all
        assertTrue(replica.getCoreName() + ": " + found.size(), found.size() > 0);
      }
    }
    assertEquals(4, replicas);
    assertEquals(DOCS, cluster.getSolrClient().query(COLLECTION, new SolrQuery("*:*")).getResults()
        .getNumFound());
    for (var slice : getCollectionState(COLLECTION).getSlices()) {
      List<Long> counts = new ArrayList<>();
      for (Replica replica : slice.getReplicas()) {
        try (SolrClient core = new Http2SolrClient.Builder(replica.getBaseUrl())
            .withDefaultCollection(replica.getCoreName()).build()) {
          counts.add(core.query(new SolrQuery("*:*").set("distrib", "false")).getResults().getNumFound());
        }
      }
      assertEquals(slice.getName() + " replicas " + counts, 1, counts.stream().distinct().count());
    }
  }

  /** Sends {@code docs} in batches, each retried until it is acknowledged (60 tries, 0.5 s apart). */
  private static void send(List<SolrInputDocument> docs, AtomicInteger retries) throws Exception {
    for (int from = 0; from < docs.size(); from += BATCH) {
      sendWithRetries(docs.subList(from, Math.min(docs.size(), from + BATCH)), retries);
    }
  }

  private static void await(CountDownLatch latch) throws InterruptedException {
    assertTrue("timed out", latch.await(300, TimeUnit.SECONDS));
  }

  private static void sendWithRetries(List<SolrInputDocument> batch, AtomicInteger retries)
      throws Exception {
    for (int attempt = 1; ; attempt++) {
      try {
        cluster.getSolrClient().add(COLLECTION, batch);
        return;
      } catch (Exception e) {
        if (attempt == 60) {
          throw e;
        }
        retries.incrementAndGet();
        Thread.sleep(500);
      }
    }
  }

  private static List<SolrInputDocument> scifactSlice() throws Exception {
    Path corpus = Paths.get(System.getProperty("whetstone.data"), "scifact", "corpus.jsonl.gz");
    List<SolrInputDocument> docs = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(corpus)), StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null && docs.size() < DOCS; line = lines.readLine()) {
        JsonObject json = JsonParser.parseString(line).getAsJsonObject();
        docs.add(new SolrInputDocument("id", json.get("_id").getAsString(),
            "title", json.get("title").getAsString(), "text", json.get("text").getAsString()));
      }
    }
    return docs;
  }

  private static Map<String, float[]> freshEmbeddings(List<SolrInputDocument> docs) throws Exception {
    List<String> texts = new ArrayList<>();
    for (SolrInputDocument doc : docs) {
      texts.add(DocumentText.join(List.of(doc.getFieldValue("title"), doc.getFieldValue("text"))));
    }
    float[][] vectors;
    try (Encoder encoder = Encoder.load(TestModels.get("all-minilm-l6-v2"))) {
      vectors = encoder.encodeDocuments(texts);
    }
    Map<String, float[]> byId = new HashMap<>();
    for (int i = 0; i < docs.size(); i++) {
      byId.put((String) docs.get(i).getFieldValue("id"), vectors[i]);
    }
    return byId;
  }

  private static void assertVectorEquals(String what, float[] expected, java.util.Collection<Object> actual) {
    assertNotNull(what + ": not a document of the slice", expected);
    assertNotNull(what + ": no vector", actual);
    assertEquals(what, expected.length, actual.size());
    int i = 0;
    for (Object value : actual) {
      assertEquals(what + " [" + i + "]", expected[i], ((Number) value).floatValue(), 1e-5f);
      i++;
    }
  }
}
