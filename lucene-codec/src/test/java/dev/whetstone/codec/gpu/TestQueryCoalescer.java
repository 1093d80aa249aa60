package dev.whetstone.codec.gpu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.tests.util.LuceneTestCase;

public class TestQueryCoalescer extends LuceneTestCase {
  /** A request: its input and, once run, its output. */
  static final class Square {
    final int input;
    int output = -1;

    Square(int input) {
      this.input = input;
    }
  }

  public void testQueriesArrivingDuringABatchShareTheNextAndAllGetTheirOwnResult() throws Exception {
    CountDownLatch firstBatchStarted = new CountDownLatch(1);
    CountDownLatch releaseFirstBatch = new CountDownLatch(1);
    List<Integer> batchSizes = new ArrayList<>();
    QueryCoalescer<Square> coalescer = new QueryCoalescer<>(batch -> {
      synchronized (batchSizes) {
        batchSizes.add(batch.size());
      }
      if (batchSizes.size() == 1) {
        firstBatchStarted.countDown();
        await(releaseFirstBatch);
      }
      for (Square s : batch) {
        s.output = s.input * s.input;
      }
    }, 4, 1, 0);

    int requests = 9;
    Callers callers = new Callers(coalescer, requests);
    List<Thread> threads = callers.threads;
    threads.get(0).start();
    await(firstBatchStarted);
    for (Thread t : threads.subList(1, requests)) {
      t.start();
    }
    while (coalescer.queued() < requests - 1) {
      Thread.sleep(5); // the 8 others queue behind the running batch
    }
    releaseFirstBatch.countDown();
    callers.joinAndCheckSquares();
    assertEquals("one alone, then the 8 that queued, at most 4 per batch", List.of(1, 4, 4), batchSizes);
  }

  public void testAnErrorReachesEveryoneInTheBatch() {
    QueryCoalescer<Square> coalescer = new QueryCoalescer<>(batch -> {
      throw new IOException("device lost");
    }, 8, 2, 0);
    IOException e = expectThrows(IOException.class, () -> coalescer.run(new Square(3)));
    assertTrue(e.getMessage(), e.getMessage().contains("device lost"));
    // and the coalescer still works for the next request
    expectThrows(IOException.class, () -> coalescer.run(new Square(4)));
  }

  public void testASecondBatchRunsWhileTheFirstDoesAndNoMoreThanTwo() throws Exception {
    CountDownLatch twoRunning = new CountDownLatch(2);
    CountDownLatch release = new CountDownLatch(1);
    AtomicInteger running = new AtomicInteger();
    AtomicInteger mostRunning = new AtomicInteger();
    List<Integer> batchSizes = new ArrayList<>();
    QueryCoalescer<Square> coalescer = new QueryCoalescer<>(batch -> {
      int index;
      synchronized (batchSizes) {
        index = batchSizes.size();
        batchSizes.add(batch.size());
      }
      mostRunning.accumulateAndGet(running.incrementAndGet(), Math::max);
      if (index < 2) {
        twoRunning.countDown();
        await(release);
      }
      for (Square s : batch) {
        s.output = s.input * s.input;
      }
      running.decrementAndGet();
    }, 4, 2, 0);

    int requests = 8;
    Callers callers = new Callers(coalescer, requests);
    List<Thread> threads = callers.threads;
    threads.get(0).start();
    while (coalescer.queued() > 0 || running.get() < 1) {
      Thread.sleep(1); // the first has taken its batch
    }
    threads.get(1).start();
    await(twoRunning); // the second led a batch of its own while the first runs
    for (Thread t : threads.subList(2, requests)) {
      t.start();
    }
    while (coalescer.queued() < requests - 2) {
      Thread.sleep(5); // the 6 others queue: two batches run already
    }
    release.countDown();
    callers.joinAndCheckSquares();
    assertEquals("never more than two batches at once", 2, mostRunning.get());
    assertEquals(List.of(1, 1), batchSizes.subList(0, 2));
    List<Integer> later = new ArrayList<>(batchSizes.subList(2, batchSizes.size()));
    Collections.sort(later);
    assertEquals("the 6 that queued: 4, then the rest as soon as the first 4 were taken",
        List.of(2, 4), later);
  }

  public void testBadSizesAreRefused() {
    expectThrows(IllegalArgumentException.class, () -> new QueryCoalescer<Square>(b -> {}, 0, 1, 0));
    expectThrows(IllegalArgumentException.class, () -> new QueryCoalescer<Square>(b -> {}, 1, 0, 0));
  }

  /** One thread per request {@code i}, each running {@code Square(i)} through the coalescer. */
  private static final class Callers {
    final List<Square> squares = new ArrayList<>();
    final List<Thread> threads = new ArrayList<>();
    final AtomicReference<Throwable> failure = new AtomicReference<>();

    Callers(QueryCoalescer<Square> coalescer, int requests) {
      for (int i = 0; i < requests; i++) {
        Square square = new Square(i);
        squares.add(square);
        threads.add(new Thread(() -> {
          try {
            coalescer.run(square);
          } catch (Throwable e) {
            failure.set(e);
          }
        }));
      }
    }

    /** Waits for every caller; none failed and each got its own square. */
    void joinAndCheckSquares() throws InterruptedException {
      for (Thread t : threads) {
        t.join();
      }
      assertNull(failure.get());
      for (Square s : squares) {
        assertEquals(s.input * s.input, s.output);
      }
    }
  }

  private static void await(CountDownLatch latch) {
    try {
      latch.await();
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }
}
