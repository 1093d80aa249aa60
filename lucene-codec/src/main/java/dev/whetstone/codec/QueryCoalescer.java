package dev.whetstone.codec;

import java.io.IOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.locks.LockSupport;

/**
 * Runs concurrent requests in batches without a thread of its own: the first caller leads a batch
 * and runs it for everybody in it; callers that arrive meanwhile queue, and when the batch is done
 * the oldest of them leads the next one, with all the requests that queued up to then. So under
 * load each batch carries the queries that arrived while the previous one ran, and throughput
 * grows with load; a lone query waits for no one unless a batch window is set.
 *
 * @param <R> a request; its result is stored in it by the {@link Executor}
 */
public final class QueryCoalescer<R> {
  /** Runs one batch, storing each request's result in the request. */
  public interface Executor<R> {
    void execute(List<R> batch) throws IOException;
  }

  private final Executor<R> executor;
  private final int maxBatch;
  private final long windowNanos;
  private final ArrayDeque<Slot<R>> queue = new ArrayDeque<>();
  private boolean leading;

  public QueryCoalescer(Executor<R> executor, int maxBatch, long windowNanos) {
    this.executor = executor;
    this.maxBatch = maxBatch;
    this.windowNanos = windowNanos;
  }

  /** Runs {@code request} in some batch and returns once its result is stored in it. */
  public void run(R request) throws IOException {
    Slot<R> slot = new Slot<>(request);
    boolean lead;
    synchronized (this) {
      queue.add(slot);
      lead = !leading;
      leading = true;
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

  /** Runs batches while this slot's own request is unanswered, then hands over the lead. */
  private void lead(Slot<R> own) throws IOException {
    if (windowNanos > 0) {
      LockSupport.parkNanos(windowNanos);
    }
    List<Slot<R>> batch = new ArrayList<>();
    synchronized (this) {
      // our own slot is the queue's head: a caller leads only when the queue was empty or it was
      // the oldest waiting
      while (!queue.isEmpty() && batch.size() < maxBatch) {
        batch.add(queue.poll());
      }
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
    Slot<R> next;
    synchronized (this) {
      next = queue.peek();
      leading = next != null;
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

  private static final class Slot<R> {
    final R request;
    private Throwable error;
    private boolean done;
    private boolean promoted;

    Slot(R request) {
      this.request = request;
    }

    synchronized void finish(Throwable e) {
      error = e;
      done = true;
      notifyAll();
    }

    synchronized void promote() {
      promoted = true;
      notifyAll();
    }

    /** True when this caller must lead the next batch, false when its result is in. */
    synchronized boolean awaitTurnOrResult() throws IOException {
      boolean interrupted = false;
      try {
        while (!done && !promoted) {
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
