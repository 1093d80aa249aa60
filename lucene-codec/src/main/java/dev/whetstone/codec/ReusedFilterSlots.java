package dev.whetstone.codec;

import java.lang.ref.WeakReference;
import java.util.Arrays;
import org.apache.lucene.util.Bits;

/**
 * Which of a few device buffers holds the words of a reused filter (a segment's live docs), by the
 * identity of its {@link Bits}. After an NRT reopen the old and new searchers' live docs alternate
 * from batch to batch, both sharing the segment's vectors; with a buffer for each, neither is
 * converted or copied again. A segment's live docs never change once a reader has them, so
 * identity is enough. The {@code Bits} are held weakly: a closed reader's live docs are collected
 * and their buffer reused.
 *
 * <p>A filter claimed in a batch keeps its buffer until the batch ends: a later filter of the same
 * batch never overwrites it (it gets no buffer and is copied per query instead).
 */
public final class ReusedFilterSlots {
  /** Enough for a searcher, the one being replaced, and one more reopened meanwhile. */
  public static final int DEFAULT_SLOTS = 4;

  /** Buffer {@code index} holds the filter; {@code fill}: the caller copies its words there first. */
  public record Slot(int index, boolean fill) {}

  private final WeakReference<?>[] holders;
  private final long[] lastUsed;
  private final boolean[] filledInBatch;
  private long batch;

  public ReusedFilterSlots(int slots) {
    holders = new WeakReference<?>[slots];
    lastUsed = new long[slots];
    filledInBatch = new boolean[slots];
  }

  public int size() {
    return holders.length;
  }

  /** Starts a batch: buffers used from now on are not given away until the next one starts. */
  public synchronized void startBatch() {
    batch++;
    Arrays.fill(filledInBatch, false);
  }

  /**
   * The buffer for {@code bits}: the one holding them already, else the least recently used one
   * (an emptied one first), to be filled by the caller; null when every buffer serves this batch.
   */
  public synchronized Slot slotFor(Bits bits) {
    int victim = -1;
    boolean victimEmpty = false;
    for (int i = 0; i < holders.length; i++) {
      Bits held = held(i);
      if (held == bits) {
        lastUsed[i] = batch;
        return new Slot(i, false);
      }
      if (held == null) {
        if (!victimEmpty) {
          victim = i;
          victimEmpty = true;
        }
      } else if (lastUsed[i] != batch && !victimEmpty
          && (victim == -1 || lastUsed[i] < lastUsed[victim])) {
        victim = i;
      }
    }
    if (victim == -1) {
      return null;
    }
    holders[victim] = new WeakReference<>(bits);
    lastUsed[victim] = batch;
    filledInBatch[victim] = true;
    return new Slot(victim, true);
  }

  /**
   * Forgets the buffers filled in this batch: the batch failed, maybe before their copies ran, so
   * they must not be trusted to hold their filters.
   */
  public synchronized void abandonBatch() {
    for (int i = 0; i < holders.length; i++) {
      if (filledInBatch[i]) {
        holders[i] = null;
        filledInBatch[i] = false;
      }
    }
  }

  private Bits held(int i) {
    return holders[i] == null ? null : (Bits) holders[i].get();
  }
}
