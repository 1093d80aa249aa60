package dev.whetstone.model;

import java.util.Arrays;
import java.util.List;

/**
 * Model inputs for a batch of texts, row-major {@code [rows, length]}, each row padded with zeros
 * (attention mask 0) up to the longest row.
 */
public record TokenBatch(int rows, int length, long[] inputIds, long[] attentionMask,
    long[] tokenTypeIds) {

  public TokenBatch {
    int size = rows * length;
    if (inputIds.length != size || attentionMask.length != size || tokenTypeIds.length != size) {
      throw new IllegalArgumentException("arrays must hold rows * length = " + size + " values");
    }
  }

  /** Pads sequences to the longest one. */
  public static TokenBatch pad(List<TokenSequence> sequences) {
    int rows = sequences.size();
    int length = 0;
    for (TokenSequence s : sequences) {
      length = Math.max(length, s.length());
    }
    long[] ids = new long[rows * length];
    long[] mask = new long[rows * length];
    long[] types = new long[rows * length];
    for (int r = 0; r < rows; r++) {
      TokenSequence s = sequences.get(r);
      System.arraycopy(s.inputIds(), 0, ids, r * length, s.length());
      System.arraycopy(s.tokenTypeIds(), 0, types, r * length, s.length());
      Arrays.fill(mask, r * length, r * length + s.length(), 1L);
    }
    return new TokenBatch(rows, length, ids, mask, types);
  }
}
