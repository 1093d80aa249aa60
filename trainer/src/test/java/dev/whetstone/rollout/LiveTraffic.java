package dev.whetstone.rollout;

import dev.whetstone.data.BeirDocument;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;

/**
 * What clients do to a name while a roll-out moves it: one writer adding, updating and deleting
 * single documents (a write refused with 403 by the fence is retried until it goes through, and
 * counted), one reader sending {@code {!embed}} queries. The writer keeps the documents it expects
 * the name to hold (id to title and text), updated only on acknowledged writes.
 */
final class LiveTraffic {
  private static final String[] QUERIES = {"vitamin D deficiency and bone fractures",
      "gene expression in cancer cells", "antibiotic resistance in hospitals"};

  private final SolrClient client;
  private final String name;
  private final Iterator<BeirDocument> freshTexts;
  private final Random random = new Random(17);
  private final Map<String, BeirDocument> expected = new HashMap<>();
  private final List<String> ids = new ArrayList<>();
  private final AtomicInteger writes = new AtomicInteger();
  private final AtomicInteger refused = new AtomicInteger();
  private final AtomicInteger queries = new AtomicInteger();
  private final AtomicInteger failedQueries = new AtomicInteger();
  private final AtomicReference<Throwable> failure = new AtomicReference<>();
  private final AtomicReference<String> refusal = new AtomicReference<>();
  private AtomicBoolean stop;
  private Thread writer;
  private Thread reader;
  private int added;

  /** @param freshTexts texts for added and updated documents, never used twice */
  LiveTraffic(SolrClient client, String name, List<BeirDocument> originals,
      List<BeirDocument> freshTexts) {
    this.client = client;
    this.name = name;
    this.freshTexts = freshTexts.iterator();
    for (BeirDocument doc : originals) {
      expected.put(doc.id(), doc);
      ids.add(doc.id());
    }
  }

  void start() {
    stop = new AtomicBoolean();
    writer = new Thread(this::write, "writer");
    reader = new Thread(this::query, "reader");
    writer.start();
    reader.start();
  }

  /** Lets the writer do {@code moreWrites} more acknowledged writes, then stops both threads. */
  void stopAfter(int moreWrites) throws InterruptedException {
    int target = writes.get() + moreWrites;
    while (writes.get() < target && failure.get() == null && writer.isAlive()) {
      Thread.sleep(10);
    }
    stop.set(true);
    writer.join();
    reader.join();
  }

  private void write() {
    try {
      while (!stop.get()) {
        double r = random.nextDouble();
        if (r < 0.4 || ids.size() < 10) {
          BeirDocument text = freshTexts.next();
          String id = "w" + (++added);
          send(new BeirDocument(id, text.title(), text.text()));
          ids.add(id);
        } else if (r < 0.8) {
          BeirDocument text = freshTexts.next();
          String id = ids.get(random.nextInt(ids.size()));
          send(new BeirDocument(id, text.title(), text.text()));
        } else {
          int i = random.nextInt(ids.size());
          String id = ids.get(i);
          while (!acknowledged(() -> client.deleteById(name, id))) {
            // refused by the fence: the same delete again
          }
          expected.remove(id);
          ids.set(i, ids.get(ids.size() - 1));
          ids.remove(ids.size() - 1);
        }
        writes.incrementAndGet();
        // a few writes a second: below the copy's re-embedding rate on 2 shared cores, so the
        // catch-up passes shrink
        Thread.sleep(200);
      }
    } catch (Throwable t) {
      failure.compareAndSet(null, t);
    }
  }

  private void send(BeirDocument doc) throws Exception {
    SolrInputDocument input = new SolrInputDocument("id", doc.id(), "title", doc.title(),
        "text", doc.text());
    while (!acknowledged(() -> client.add(name, input))) {
      // refused by the fence: the same add again
    }
    expected.put(doc.id(), doc);
  }

  private interface Write {
    void run() throws Exception;
  }

  /** True when the write went through; false when the fence refused it (403); throws else. */
  private boolean acknowledged(Write write) throws Exception {
    try {
      write.run();
      return true;
    } catch (SolrException e) {
      if (e.code() != 403) {
        throw e;
      }
      refused.incrementAndGet();
      refusal.compareAndSet(null, e.getMessage());
      Thread.sleep(20); // back off a little: the fence lasts seconds
      return false;
    }
  }

  private void query() {
    int i = 0;
    while (!stop.get()) {
      try {
        client.query(name, new SolrQuery("{!embed f=vector model=minilm topK=5}"
            + QUERIES[i++ % QUERIES.length]));
        queries.incrementAndGet();
      } catch (Exception e) {
        failedQueries.incrementAndGet();
        failure.compareAndSet(null, e);
      }
    }
  }

  /** The documents the name should hold now: id to (title, text). */
  Map<String, BeirDocument> expected() {
    return expected;
  }

  int writes() {
    return writes.get();
  }

  int refused() {
    return refused.get();
  }

  /** The message of the first refused write, or null. */
  String refusal() {
    return refusal.get();
  }

  int queries() {
    return queries.get();
  }

  int failedQueries() {
    return failedQueries.get();
  }

  Throwable failure() {
    return failure.get();
  }
}
