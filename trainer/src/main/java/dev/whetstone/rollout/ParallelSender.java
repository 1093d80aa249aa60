package dev.whetstone.rollout;

import java.io.IOException;
import java.util.List;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongConsumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrInputDocument;

/**
 * Sends numbered batches of documents to a collection's default update chain from N threads,
 * and reports the longest prefix of batches (0, 1, 2, ...) that Solr has acknowledged: a
 * checkpoint may only move past a batch once every batch before it is in too. At most 2N batches
 * are in flight, so the reader cannot run ahead of the senders.
 */
public final class ParallelSender implements AutoCloseable {
  private final SolrClient client;
  private final String collection;
  private final String uniqueKey;
  private final ExecutorService pool;
  private final Semaphore inFlight;
  private final LongConsumer acknowledgedUpTo;
  private final AtomicReference<IOException> failure = new AtomicReference<>();
  private final TreeSet<Long> doneOutOfOrder = new TreeSet<>();
  private long nextExpected;

  /**
   * @param acknowledgedUpTo called, on a sender thread and under a lock, with the highest batch
   *     number {@code k} such that batches {@code 0..k} are all acknowledged, whenever it grows
   */
  public ParallelSender(SolrClient client, String collection, String uniqueKey, int threads,
      LongConsumer acknowledgedUpTo) {
    if (threads < 1) {
      throw new IllegalArgumentException("threads must be >= 1, got " + threads);
    }
    this.client = client;
    this.collection = collection;
    this.uniqueKey = uniqueKey;
    AtomicInteger n = new AtomicInteger();
    this.pool = Executors.newFixedThreadPool(threads, r -> {
      Thread t = new Thread(r, "send-" + collection + "-" + n.incrementAndGet());
      t.setDaemon(true);
      return t;
    });
    this.inFlight = new Semaphore(2 * threads);
    this.acknowledgedUpTo = acknowledgedUpTo;
  }

  /**
   * Queues batch number {@code seq} (numbers start at 0 and go up by one); blocks while 2N batches
   * are in flight. Throws the first failure of an earlier batch, if any.
   */
  public void send(long seq, List<SolrInputDocument> batch) throws IOException, InterruptedException {
    rethrow();
    inFlight.acquire();
    pool.execute(() -> {
      try {
        client.add(collection, batch);
        acknowledge(seq);
      } catch (SolrServerException | IOException | RuntimeException e) {
        failure.compareAndSet(null, new IOException("sending documents " + id(batch, 0) + " .. "
            + id(batch, batch.size() - 1) + " to collection " + collection + " failed: " + e, e));
      } finally {
        inFlight.release();
      }
    });
  }

  /** Waits until every queued batch is acknowledged; throws the first failure, if any. */
  public void finish() throws IOException, InterruptedException {
    pool.shutdown();
    if (!pool.awaitTermination(1, TimeUnit.HOURS)) {
      throw new IOException("sending to collection " + collection + " did not finish within an hour");
    }
    rethrow();
  }

  private synchronized void acknowledge(long seq) {
    doneOutOfOrder.add(seq);
    long before = nextExpected;
    while (doneOutOfOrder.remove(nextExpected)) {
      nextExpected++;
    }
    if (nextExpected > before) {
      acknowledgedUpTo.accept(nextExpected - 1);
    }
  }

  private void rethrow() throws IOException {
    IOException e = failure.get();
    if (e != null) {
      throw e;
    }
  }

  private Object id(List<SolrInputDocument> batch, int i) {
    return batch.get(i).getFieldValue(uniqueKey);
  }

  @Override
  public void close() {
    pool.shutdownNow();
  }
}
