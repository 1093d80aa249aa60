package dev.whetstone.solr.ubi;

import com.codahale.metrics.Counter;
import java.io.Closeable;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.locks.LockSupport;
import java.util.function.Supplier;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.common.util.Utils;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Where {@link UbiComponent} writes its queries, off the request thread: a bounded queue that one
 * background thread drains every {@value #DEFAULT_FLUSH_INTERVAL_MS} ms, in batches of up to {@value
 * #BATCH} records, into a {@link Sink}. The writer sleeps between flushes rather than waiting on
 * the queue, so a search only enqueues: it never wakes a thread, and the writing happens in one
 * burst per interval instead of a context switch per search. A full queue drops the record:
 * counted, and said once at WARN, so a slow sink never slows searches down ({@code queueSize}
 * must hold one interval's searches).
 */
final class UbiLog implements Closeable {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());
  static final int BATCH = 500;
  static final long DEFAULT_FLUSH_INTERVAL_MS = 1000;

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
  private final long flushIntervalNanos;
  private final Thread writer;
  private volatile boolean closed;

  UbiLog(Sink sink, int queueSize, Counter dropped, Counter failed) {
    this(sink, queueSize, DEFAULT_FLUSH_INTERVAL_MS, dropped, failed);
  }

  UbiLog(Sink sink, int queueSize, long flushIntervalMs, Counter dropped, Counter failed) {
    this.sink = sink;
    this.flushIntervalNanos = TimeUnit.MILLISECONDS.toNanos(flushIntervalMs);
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
    while (!closed) {
      // close() unparks it early; an interrupt instead could cut a sink's request short
      LockSupport.parkNanos(flushIntervalNanos);
      flush(batch);
    }
    flush(batch);
  }

  private void flush(List<UbiQuery> batch) {
    while (queue.drainTo(batch, BATCH) > 0) {
      try {
        sink.write(batch);
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
    LockSupport.unpark(writer);
    try {
      writer.join(TimeUnit.SECONDS.toMillis(10));
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
