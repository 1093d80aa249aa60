package dev.whetstone.codec.gpu;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs concurrent requests in batches without a thread of its own: the first caller leads a batch
 * and runs it for everybody in it; callers that arrive meanwhile queue. Up to {@code maxInFlight}
 * batches run at once: as soon as a leader has taken its batch, the oldest queued caller (if any)
 * leads the next one, and when all are running, the oldest waiting caller leads as soon as one
 * ends, with all the requests that queued up to then. So under load each batch carries the
 * queries that arrived while the others ran, one batch is being prepared or read back while
 * another computes, and throughput grows with load; a lone query waits for no one unless a batch
 * window is set.
 *
 * @param <R> a request; its result is stored in it by the {@link Executor}
 */
final class QueryCoalescer<R> {
  /** Runs one batch, storing each request's result in the request. */
  public interface Executor<R> {
    void execute(List<R> batch) throws IOException;
  }

  private final Executor<R> executor;
  private final int maxBatch;
  private final int maxInFlight;
  private final long windowNanos;
  private final ArrayDeque<Slot<R>> queue = new ArrayDeque<>();
  /**
   * Callers leading a batch: running one, or chosen to lead and about to take theirs. Only the
   * queue's head can be a leader that has not taken its batch yet, so a batch taken from the head
   * never holds another leader's request.
   */
  private int leaders;

  public QueryCoalescer(Executor<R> executor, int maxBatch, int maxInFlight, long windowNanos) {
    if (maxBatch < 1 || maxInFlight < 1) {
      throw new IllegalArgumentException(
          "maxBatch and maxInFlight must be >= 1: " + maxBatch + ", " + maxInFlight);
    }
    this.executor = executor;
    this.maxBatch = maxBatch;
    this.maxInFlight = maxInFlight;
    this.windowNanos = windowNanos;
  }

  /** Runs {@code request} in some batch and returns once its result is stored in it. */
  public void run(R request) throws IOException {
    Slot<R> slot = new Slot<>(request);
    boolean lead;
    synchronized (this) {
      queue.add(slot);
      // alone in the queue: no leader is about to take it
      lead = queue.size() == 1 && leaders < maxInFlight;
      if (lead) {
        slot.promoted = true;
        leaders++;
      }
    }
    if (!lead && !slot.awaitTurnOrResult()) {
      slot.rethrow();
      return;
    }
    lead(slot);
  }

  /** Requests waiting for a batch; for tests. */
  synchronized int queued() {
    return queue.size();
  }

  /** Runs one batch that holds this slot's own request, then hands over the lead. */
  private void lead(Slot<R> own) throws IOException {
    if (windowNanos > 0) {
      LockSupport.parkNanos(windowNanos);
    }
    List<Slot<R>> batch = new ArrayList<>();
    Slot<R> next;
    synchronized (this) {
      // our own slot is the queue's head
      while (!queue.isEmpty() && batch.size() < maxBatch) {
        batch.add(queue.poll());
      }
      next = promoteHead();
    }
    if (next != null) {
      next.promote(); // the next batch is prepared while this one runs
    }
    Throwable error = null;
    try {
      List<R> requests = new ArrayList<>(batch.size());
      for (Slot<R> slot : batch) {
        requests.add(slot.request);
      }
      executor.execute(requests);
    } catch (IOException | RuntimeException | Error e) {
      error = e;
    }
    synchronized (this) {
      leaders--;
      next = promoteHead();
    }
    if (next != null) {
      next.promote();
    }
    for (Slot<R> slot : batch) {
      if (slot != own) {
        slot.finish(error);
      }
    }
    own.error = error;
    own.rethrow();
  }

  /** The queue's head, made a leader if it waits and a batch may start; called holding the lock. */
  private Slot<R> promoteHead() {
    Slot<R> head = queue.peek();
    if (head == null || head.promoted || leaders >= maxInFlight) {
      return null;
    }
    head.promoted = true;
    leaders++;
    return head;
  }

  private static final class Slot<R> {
    final R request;
    private Throwable error;
    private boolean done;
    /** Chosen to lead; written under the coalescer's lock, read by the slot's own caller. */
    private boolean promoted;
    private boolean woken;

    Slot(R request) {
      this.request = request;
    }

    synchronized void finish(Throwable e) {
      error = e;
      done = true;
      notifyAll();
    }

    synchronized void promote() {
      woken = true;
      notifyAll();
    }

    /** True when this caller must lead the next batch, false when its result is in. */
    synchronized boolean awaitTurnOrResult() throws IOException {
      boolean interrupted = false;
      try {
        while (!done && !woken) {
          try {
            wait();
          } catch (InterruptedException e) {
            // the batch runs anyway; keep the caller's interrupt for after it
            interrupted = true;
          }
        }
      } finally {
        if (interrupted) {
          Thread.currentThread().interrupt();
        }
      }
      return !done;
    }

    void rethrow() throws IOException {
      if (error instanceof IOException) {
        throw new IOException(error.getMessage(), error);
      } else if (error instanceof RuntimeException) {
        throw (RuntimeException) error;
      } else if (error instanceof Error) {
        throw (Error) error;
      }
    }
  }
}
