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
import org.apache.solr.common.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link UbiComponent} writes its queries, off the request thread: a bounded queue drained
 * by one background thread in batches (up to {@value #BATCH} records, or what arrived within a
 * second) into a {@link Sink}. A full queue drops the record: counted, and said once at WARN, so
 * a slow sink never slows searches down.
 */
final class UbiLog implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
  static final int BATCH = 500;

  /** Receives the records, a batch at a time, on the background thread. */
  interface Sink {
    void write(List<UbiQuery> batch) throws Exception;
  }

  /**
   * One JSON line per query on the logger {@value #LOGGER} at INFO, for teams that ship log files
   * elsewhere: give it its own appender (file, rotation) in Solr's log4j2.xml.
   */
  static final class LogFile implements Sink {
    static final String LOGGER = "dev.whetstone.ubi.queries";
    private static final Logger queries = LoggerFactory.getLogger(LOGGER);

    @Override
    public String toString() {
      return "logger " + LOGGER;
    }

    @Override
    public void write(List<UbiQuery> batch) {
      for (UbiQuery query : batch) {
        queries.info("{}", Utils.toJSONString(query.toJson(), -1));
      }
    }
  }

  /** Indexes the queries into a collection; searchable within {@value #COMMIT_WITHIN_MS} ms. */
  static final class Collection implements Sink {
    static final int COMMIT_WITHIN_MS = 5_000;
    private final String name;
    private final Supplier<SolrClient> client;

    Collection(String name, Supplier<SolrClient> client) {
      this.name = name;
      this.client = client;
    }

    @Override
    public void write(List<UbiQuery> batch) throws Exception {
      client.get().add(name, batch.stream().map(UbiQuery::toDocument).toList(), COMMIT_WITHIN_MS);
    }

    @Override
    public String toString() {
      return "collection '" + name + "'";
    }
  }

  private final Sink sink;
  private final BlockingQueue<UbiQuery> queue;
  private final Counter dropped;
  private final Counter failed;
  private final AtomicBoolean warnedDrop = new AtomicBoolean();
  private final AtomicBoolean warnedFailure = new AtomicBoolean();
  private final Thread writer;
  private volatile boolean closed;

  UbiLog(Sink sink, int queueSize, Counter dropped, Counter failed) {
    this.sink = sink;
    this.queue = new ArrayBlockingQueue<>(queueSize);
    this.dropped = dropped;
    this.failed = failed;
    this.writer = new Thread(this::drain, "whetstone-ubi");
    writer.setDaemon(true);
    writer.start();
  }

  void log(UbiQuery query) {
    if (!queue.offer(query)) {
      dropped.inc();
      if (warnedDrop.compareAndSet(false, true)) {
        log.warn("UBI query log: {} queries wait for the {}; new ones are dropped (counted in "
            + "ubi.dropped) until it catches up", queue.size(), sink);
      }
    }
  }

  private void drain() {
    List<UbiQuery> batch = new ArrayList<>(BATCH);
    while (!closed || !queue.isEmpty()) {
      try {
        UbiQuery first = queue.poll(1, TimeUnit.SECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, BATCH - 1);
        sink.write(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return;
      } catch (Exception e) {
        failed.inc(batch.size());
        if (warnedFailure.compareAndSet(false, true)) {
          log.warn("UBI query log: writing to the {} failed ({}); failed records are counted in "
              + "ubi.failed", sink, e.toString());
        }
      }
      batch.clear();
    }
  }

  /** Writes what is queued, then stops. */
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
