package dev.whetstone.solr.ubi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import com.codahale.metrics.Counter;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.Test;

public class UbiLogTest {
  private static UbiQuery query(int i) {
    return new UbiQuery("q" + i, null, null, "text", "id", List.of("d1"), 0, Instant.EPOCH);
  }

  /** Remembers what it was given, batch by batch, and on which thread. */
  private static final class Recording implements UbiLog.Sink {
    final List<List<String>> batches = Collections.synchronizedList(new ArrayList<>());
    volatile String thread;

    @Override
    public void write(List<UbiQuery> batch) {
      thread = Thread.currentThread().getName();
      batches.add(batch.stream().map(UbiQuery::queryId).toList());
    }
  }

  @Test
  public void writesOnItsOwnThreadInBatchesAndEverythingQueuedOnClose() {
    Recording sink = new Recording();
    Counter dropped = new Counter();
    UbiLog log = new UbiLog(sink, 2_000, dropped, new Counter());
    for (int i = 0; i < 1_200; i++) {
      log.log(query(i));
    }
    log.close();

    List<String> written = sink.batches.stream().flatMap(List::stream).toList();
    assertEquals(1_200, written.size());
    assertEquals("q0", written.get(0));
    assertEquals("q1199", written.get(1_199));
    assertTrue(sink.batches.toString(), sink.batches.stream().allMatch(b -> b.size() <= UbiLog.BATCH));
    assertEquals("whetstone-ubi", sink.thread);
    assertEquals(0, dropped.getCount());
  }

  @Test
  public void aFullQueueDropsAndCountsInsteadOfWaiting() {
    Recording sink = new Recording();
    Counter dropped = new Counter();
    // no flush before close(): 25 records overflow a queue of 10 by exactly 15
    UbiLog log = new UbiLog(sink, 10, TimeUnit.HOURS.toMillis(1), dropped, new Counter());
    for (int i = 0; i < 25; i++) {
      log.log(query(i));
    }
    log.close();
    assertEquals(15, dropped.getCount());
    assertEquals(List.of(List.of("q0", "q1", "q2", "q3", "q4", "q5", "q6", "q7", "q8", "q9")),
        sink.batches);
  }

  @Test
  public void aFailingSinkCountsItsRecordsAsFailed() {
    Counter failed = new Counter();
    UbiLog log = new UbiLog(batch -> {
      throw new IllegalStateException("collection gone");
    }, 100, new Counter(), failed);
    for (int i = 0; i < 7; i++) {
      log.log(query(i));
    }
    log.close();
    assertEquals(7, failed.getCount());
  }
}
