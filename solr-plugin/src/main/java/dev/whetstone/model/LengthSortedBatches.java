package dev.whetstone.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.function.Function;

/**
 * Runs a model over texts in batches of similar length, which waste little compute on padding, and
 * returns the vectors in the texts' order.
 */
public final class LengthSortedBatches {
  private LengthSortedBatches() {}

  /**
   * @param model turns a padded batch into one vector per row
   */
  public static float[][] encode(TokenSequence[] sequences, int batchSize,
      Function<TokenBatch, float[][]> model) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    int n = sequences.length;
    Integer[] order = new Integer[n];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt(i -> sequences[i].length()));
    float[][] vectors = new float[n][];
    for (int start = 0; start < n; start += batchSize) {
      int end = Math.min(n, start + batchSize);
      List<TokenSequence> batch = new ArrayList<>(end - start);
      for (int i = start; i < end; i++) {
        batch.add(sequences[order[i]]);
      }
      float[][] batchVectors = model.apply(TokenBatch.pad(batch));
      for (int i = start; i < end; i++) {
        vectors[order[i]] = batchVectors[i - start];
      }
    }
    return vectors;
  }
}
