package dev.whetstone.model;

import java.util.Locale;

/** How token vectors of the last hidden state become one text vector. */
public enum Pooling {
  /** Average of the token vectors under the attention mask (sentence-transformers' mean pooling). */
  MEAN,
  /** The first ([CLS]) token's vector. */
  CLS;

  /** Parses {@code mean} or {@code cls}, case-insensitively. */
  public static Pooling parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("pooling must be 'mean' or 'cls', got '" + value + "'");
    }
  }

  /**
   * Pools one row of {@code hidden} ([batch, seq, dim], row-major); {@code attentionMask} is
   * [batch, seq].
   */
  float[] pool(float[] hidden, int row, int seqLength, int dim, long[] attentionMask) {
    float[] out = new float[dim];
    int base = row * seqLength * dim;
    if (this == CLS) {
      System.arraycopy(hidden, base, out, 0, dim);
      return out;
    }
    int tokens = 0;
    for (int t = 0; t < seqLength; t++) {
      if (attentionMask[row * seqLength + t] == 0) {
        continue;
      }
      tokens++;
      int offset = base + t * dim;
      for (int d = 0; d < dim; d++) {
        out[d] += hidden[offset + d];
      }
    }
    float scale = 1f / Math.max(tokens, 1);
    for (int d = 0; d < dim; d++) {
      out[d] *= scale;
    }
    return out;
  }
}
