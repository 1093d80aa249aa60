package dev.whetstone.solr.model;

import dev.whetstone.model.TestModels;
import dev.whetstone.solr.BeirCloudTestCase;
import dev.whetstone.solr.ParsersTestCase;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.ExecutorUtil;
import org.apache.solr.common.util.SolrNamedThreadFactory;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A short soak on a 2-node SolrCloud: {@code {!embed}}, {@code {!hybrid}} and BM25 queries from 4
 * threads and a stream of updates through the embedding processor, for {@code
 * -Dwhetstone.soak.seconds} (default 90). No request fails, every answer has hits, every dense
 * answer over the fixed reference documents has the top ids it had before the load, the JVM's
 * thread count stops growing once warm, and the node-wide encoder count never changes. BM25 and
 * hybrid answers are not held to a reference: the updates change the term statistics they rank by.
 */
public class SoakCloudTest extends BeirCloudTestCase {
  private static final String COLLECTION = "soak";
  private static final String DENSE = "{!embed f=vector model=minilm topK=10}";
  /** The reference documents, never updated: dense answers over them must not change. */
  private static final String REFERENCES = "id:ref-*";

  @BeforeClass
  public static void startCluster() throws Exception {
    TestModels.quantizedMiniLm();
    startBeirCluster(2, TestModels.root(), Map.of("whetstone.model.path", "all-minilm-l6-v2-q"));
    createCollection(COLLECTION, 2, 1);
  }

  @Test
  public void mixedLoadFailsNothingAndGrowsNothing() throws Exception {
    long seconds = Long.getLong("whetstone.soak.seconds", 90);
    int encoders = SharedEncoders.loaded();
    AtomicBoolean stop = new AtomicBoolean();
    AtomicInteger requests = new AtomicInteger();
    AtomicInteger failures = new AtomicInteger();
    AtomicReference<Exception> firstFailure = new AtomicReference<>();
    Map<String, List<String>> expected = indexReferences();
    AtomicInteger checked = new AtomicInteger();
    String[] queries = {DENSE, "{!hybrid f=vector model=minilm lexicalQf='title text'}",
        "{!edismax qf='title text'}"};
    ExecutorService load = ExecutorUtil.newMDCAwareFixedThreadPool(5, new SolrNamedThreadFactory("soak"));
    List<Future<?>> running = new ArrayList<>();
    for (int t = 0; t < 4; t++) {
      int thread = t;
      running.add(load.submit(() -> loop(stop, requests, failures, firstFailure, i -> {
        String[] doc = ParsersTestCase.DOCS[(thread + i) % ParsersTestCase.DOCS.length];
        // new texts (cache misses) and repeated ones (cache hits)
        String text = doc[2] + (i % 3 == 0 ? " " + thread + "-" + i : "");
        String parser = queries[(thread + i) % 3];
        SolrQuery query = new SolrQuery(parser + text).setFields("id");
        if (parser.equals(DENSE)) {
          query.addFilterQuery(REFERENCES);
        }
        SolrDocumentList hits = cluster.getSolrClient().query(COLLECTION, query).getResults();
        if (hits.isEmpty()) {
          throw new IllegalStateException("no hits for " + query.getQuery());
        }
        if (parser.equals(DENSE) && expected.containsKey(text)) {
          List<String> ids = hits.stream().map(d -> (String) d.getFieldValue("id")).toList();
          if (!ids.equals(expected.get(text))) {
            throw new IllegalStateException("dense top ids for '" + text + "': " + ids
                + ", before the load: " + expected.get(text));
          }
          checked.incrementAndGet();
        }
      })));
    }
    running.add(load.submit(() -> loop(stop, requests, failures, firstFailure, i -> {
      String[] doc = ParsersTestCase.DOCS[i % ParsersTestCase.DOCS.length];
      cluster.getSolrClient().add(COLLECTION, new SolrInputDocument("id", "soak-" + (i % 200),
          "title", doc[2], "text", doc[3] + " (revision " + i + ")"));
      if (i % 20 == 0) {
        cluster.getSolrClient().commit(COLLECTION);
      }
    })));

    ThreadMXBean threads = ManagementFactory.getThreadMXBean();
    int warmPeak = 0;
    int latePeak = 0;
    long start = System.nanoTime();
    try {
      for (long elapsed = 0; elapsed < seconds; elapsed = (System.nanoTime() - start) / 1_000_000_000L) {
        Thread.sleep(1000);
        int live = threads.getThreadCount();
        if (elapsed < seconds / 3) {
          warmPeak = Math.max(warmPeak, live);
        } else if (elapsed >= 2 * seconds / 3) {
          latePeak = Math.max(latePeak, live);
        }
        assertEquals("node-wide encoders", encoders, SharedEncoders.loaded());
      }
    } finally {
      stop.set(true);
      for (Future<?> f : running) {
        f.get(60, TimeUnit.SECONDS);
      }
      ExecutorUtil.shutdownAndAwaitTermination(load);
    }
    System.out.printf(Locale.ROOT, "soak %d s: %d requests, %d failed, %d dense answers checked; "
        + "live threads peak %d in the first third, %d in the last; %d encoders%n", seconds,
        requests.get(), failures.get(), checked.get(), warmPeak, latePeak, SharedEncoders.loaded());
    assertEquals("failed requests (first: " + firstFailure.get() + ")", 0, failures.get());
    assertTrue("requests: " + requests.get(), requests.get() > seconds);
    assertTrue("dense answers checked: " + checked.get(), checked.get() > seconds / 4);
    // pools may still add a thread or two; a leak adds threads per request (thousands here)
    assertTrue("threads grew from " + warmPeak + " to " + latePeak, latePeak <= warmPeak + 16);
    assertEquals(encoders, SharedEncoders.loaded());
  }

  /** Indexes {@link ParsersTestCase#DOCS} as {@code ref-<id>}; returns each title's dense top ids. */
  private static Map<String, List<String>> indexReferences() throws Exception {
    for (String[] doc : ParsersTestCase.DOCS) {
      cluster.getSolrClient().add(COLLECTION, new SolrInputDocument("id", "ref-" + doc[0],
          "title", doc[2], "text", doc[3]));
    }
    cluster.getSolrClient().commit(COLLECTION);
    Map<String, List<String>> expected = new HashMap<>();
    for (String[] doc : ParsersTestCase.DOCS) {
      SolrQuery query = new SolrQuery(DENSE + doc[2]).setFields("id").addFilterQuery(REFERENCES);
      List<String> ids = cluster.getSolrClient().query(COLLECTION, query).getResults().stream()
          .map(d -> (String) d.getFieldValue("id")).toList();
      assertEquals(doc[2], "ref-" + doc[0], ids.get(0));
      expected.put(doc[2], ids);
    }
    return expected;
  }

  private interface Step {
    void run(int i) throws Exception;
  }

  private static Void loop(AtomicBoolean stop, AtomicInteger requests, AtomicInteger failures,
      AtomicReference<Exception> firstFailure, Step step) {
    for (int i = 0; !stop.get(); i++) {
      try {
        step.run(i);
        requests.incrementAndGet();
      } catch (Exception e) {
        failures.incrementAndGet();
        firstFailure.compareAndSet(null, e);
      }
    }
    return null;
  }
}
