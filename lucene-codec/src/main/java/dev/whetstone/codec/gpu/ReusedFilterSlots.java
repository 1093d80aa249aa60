package dev.whetstone.codec.gpu;

import java.lang.ref.WeakReference;

/**
 * Which of a few device buffers holds the words of a reused filter (a segment's live docs), by the
 * identity of its {@link org.apache.lucene.util.Bits}. After an NRT reopen the old and new
 * searchers' live docs alternate from batch to batch, both sharing the segment's vectors; with a
 * buffer for each, neither is converted or copied again. A segment's live docs never change once a
 * reader has them, so identity is enough. The {@code Bits} are held weakly: a closed reader's live
 * docs are collected and their buffer reused.
 *
 * <p>Several batches may run on one index at once, each on its own stream. A buffer a batch uses
 * is pinned until that batch ends: no other batch refills it meanwhile. A buffer being filled is
 * trusted by other batches only once the filling batch has ended well (its stream synchronized, so
 * the copy is done); until then they get no buffer for that filter and copy it per query. A
 * batch that fails gives up the buffers it filled: their copies may never have run.
 */
final class ReusedFilterSlots {
  /** Enough for a searcher, the one being replaced, and one more reopened meanwhile. */
  public static final int DEFAULT_SLOTS = 4;

  /** Buffer {@code index} holds the filter; {@code fill}: the caller copies its words there first. */
  public record Slot(int index, boolean fill) {}

  /** One batch's claims; from {@link #startBatch}, given back to {@link #endBatch}. */
  public static final class Batch {
    private final long number;
    private final boolean[] pinned;
    private final boolean[] filled;

    private Batch(long number, int slots) {
      this.number = number;
      this.pinned = new boolean[slots];
      this.filled = new boolean[slots];
    }
  }

  private final WeakReference<?>[] holders;
  /** The number of the last batch that used each buffer, for least-recently-used replacement. */
  private final long[] lastUsed;
  /** Batches running that use each buffer. */
  private final int[] pins;
  /** The batch copying a buffer's filter, until it ends; null once the buffer may be trusted. */
  private final Batch[] fillers;
  private long batches;

  public ReusedFilterSlots(int slots) {
    holders = new WeakReference<?>[slots];
    lastUsed = new long[slots];
    pins = new int[slots];
    fillers = new Batch[slots];
  }

  public int size() {
    return holders.length;
  }

  /** Starts a batch: the buffers it uses are not given away until it {@linkplain #endBatch ends}. */
  public synchronized Batch startBatch() {
    return new Batch(++batches, holders.length);
  }

  /**
   * The buffer for {@code filter} in {@code batch}: the one holding it already, else the least
   * recently used unpinned one (an emptied one first), to be filled by the caller; null when no
   * buffer can serve (all pinned, or another running batch is still filling this filter's).
   */
  public synchronized Slot slotFor(Batch batch, Object filter) {
    int victim = -1;
    boolean victimEmpty = false;
    for (int i = 0; i < holders.length; i++) {
      Object held = holders[i] == null ? null : holders[i].get();
      if (held == filter) {
        if (fillers[i] != null && fillers[i] != batch) {
          return null;
        }
        pin(batch, i);
        return new Slot(i, false);
      }
      if (pins[i] > 0) {
        continue;
      }
      if (held == null) {
        if (!victimEmpty) {
          victim = i;
          victimEmpty = true;
        }
      } else if (!victimEmpty && (victim == -1 || lastUsed[i] < lastUsed[victim])) {
        victim = i;
      }
    }
    if (victim == -1) {
      return null;
    }
    holders[victim] = new WeakReference<>(filter);
    fillers[victim] = batch;
    batch.filled[victim] = true;
    pin(batch, victim);
    return new Slot(victim, true);
  }

  /**
   * Ends {@code batch}. When it {@code succeeded} (its copies are done), the buffers it filled may
   * be trusted by other batches; when not, they are forgotten.
   */
  public synchronized void endBatch(Batch batch, boolean succeeded) {
    for (int i = 0; i < holders.length; i++) {
      if (batch.filled[i]) {
        fillers[i] = null;
        if (!succeeded) {
          holders[i] = null;
        }
      }
      if (batch.pinned[i]) {
        pins[i]--;
      }
    }
  }

  private void pin(Batch batch, int slot) {
    lastUsed[slot] = batch.number;
    if (!batch.pinned[slot]) {
      batch.pinned[slot] = true;
      pins[slot]++;
    }
  }
}
