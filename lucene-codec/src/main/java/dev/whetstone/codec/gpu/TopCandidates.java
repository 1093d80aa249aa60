package dev.whetstone.codec.gpu;

import org.apache.lucene.util.ArrayUtil;

/** Merges the per-block candidates the GPU returns into the best few, on the host. */
final class TopCandidates {
  private TopCandidates() {}

  /**
   * The ordinals of the {@code count} highest {@code keys[0..length)}, best first, skipping
   * entries whose ordinal is negative (padding for blocks with fewer accepted vectors).
   */
  public static int[] best(float[] keys, int[] ords, int length, int count) {
    // a min-heap of positions on key: its root is the weakest of the best so far
    int[] heap = new int[count];
    int size = 0;
    for (int i = 0; i < length; i++) {
      if (ords[i] < 0) {
        continue;
      }
      if (size < count) {
        heap[size] = i;
        siftUp(heap, size++, keys);
      } else if (keys[i] > keys[heap[0]]) {
        heap[0] = i;
        siftDown(heap, size, keys);
      }
    }
    Integer[] order = new Integer[size];
    for (int i = 0; i < size; i++) {
      order[i] = heap[i];
    }
    ArrayUtil.timSort(order, (a, b) -> Float.compare(keys[b], keys[a]));
    int[] best = new int[size];
    for (int i = 0; i < size; i++) {
      best[i] = ords[order[i]];
    }
    return best;
  }

  private static void siftUp(int[] heap, int i, float[] keys) {
    int value = heap[i];
    while (i > 0) {
      int parent = (i - 1) >>> 1;
      if (keys[heap[parent]] <= keys[value]) {
        break;
      }
      heap[i] = heap[parent];
      i = parent;
    }
    heap[i] = value;
  }

  private static void siftDown(int[] heap, int size, float[] keys) {
    int value = heap[0];
    int i = 0;
    while (true) {
      int child = 2 * i + 1;
      if (child >= size) {
        break;
      }
      if (child + 1 < size && keys[heap[child + 1]] < keys[heap[child]]) {
        child++;
      }
      if (keys[value] <= keys[heap[child]]) {
        break;
      }
      heap[i] = heap[child];
      i = child;
    }
    heap[i] = value;
  }
}
