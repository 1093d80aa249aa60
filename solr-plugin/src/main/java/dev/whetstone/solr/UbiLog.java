package dev.whetstone.solr;

import com.codahale.metrics.Counter;
import java.io.Closeable;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Where {@link UbiComponent} writes its queries: never on the request's critical path for long. */
interface UbiLog extends Closeable {
  void log(UbiQuery query);

  /**
   * One JSON line per query on the logger {@value #LOGGER} at INFO, for teams that ship log files
   * elsewhere: give it its own appender (file, rotation) in Solr's log4j2.xml.
   */
  final class ToLogFile implements UbiLog {
    static final String LOGGER = "dev.whetstone.ubi.queries";
    private static final Logger log = LoggerFactory.getLogger(LOGGER);

    @Override
    public void log(UbiQuery query) {
      log.info("{}", Utils.toJSONString(query.toJson()).replace('\n', ' '));
    }

    @Override
    public void close() {}
  }

  /**
   * Indexes the queries into a collection from a background thread, in batches (up to {@value
   * #BATCH} documents, or what arrived within a second). A full queue drops the query: counted,
   * and said once at WARN, so a slow or absent collection never slows searches down.
   */
  final class ToCollection implements UbiLog {
    private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
    static final int BATCH = 500;
    /** Queries become searchable within this time (Solr's commitWithin). */
    static final int COMMIT_WITHIN_MS = 5_000;
    private final String collection;
    private final Supplier<SolrClient> client;
    private final BlockingQueue<SolrInputDocument> queue;
    private final Counter dropped;
    private final Counter failed;
    private final AtomicBoolean warnedDrop = new AtomicBoolean();
    private final AtomicBoolean warnedFailure = new AtomicBoolean();
    private final Thread writer;
    private volatile boolean closed;

    ToCollection(String collection, Supplier<SolrClient> client, int queueSize, Counter dropped,
        Counter failed) {
      this.collection = collection;
      this.client = client;
      this.queue = new ArrayBlockingQueue<>(queueSize);
      this.dropped = dropped;
      this.failed = failed;
      this.writer = new Thread(this::drain, "whetstone-ubi-" + collection);
      writer.setDaemon(true);
      writer.start();
    }

    @Override
    public void log(UbiQuery query) {
      if (!queue.offer(query.toDocument())) {
        dropped.inc();
        if (warnedDrop.compareAndSet(false, true)) {
          log.warn("UBI query log: {} queries wait for collection '{}'; new ones are dropped "
              + "(counted in ubi.dropped) until it catches up", queue.size(), collection);
        }
      }
    }

    private void drain() {
      List<SolrInputDocument> batch = new ArrayList<>(BATCH);
      while (!closed || !queue.isEmpty()) {
        try {
          SolrInputDocument first = queue.poll(1, TimeUnit.SECONDS);
          if (first == null) {
            continue;
          }
          batch.add(first);
          queue.drainTo(batch, BATCH - 1);
          client.get().add(collection, batch, COMMIT_WITHIN_MS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          return;
        } catch (Exception e) {
          failed.inc(batch.size());
          if (warnedFailure.compareAndSet(false, true)) {
            log.warn("UBI query log: indexing into collection '{}' failed ({}); failed batches are "
                + "counted in ubi.failed", collection, e.toString());
          }
        }
        batch.clear();
      }
    }

    /** Indexes what is queued, then stops. */
    @Override
    public void close() {
      closed = true;
      try {
        writer.join(TimeUnit.SECONDS.toMillis(10));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
      }
    }
  }
}
