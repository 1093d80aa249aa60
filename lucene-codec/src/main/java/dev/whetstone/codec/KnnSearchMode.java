package dev.whetstone.codec;

import java.util.Locale;

/**
 * How {@link WhetstoneKnnVectorsReader} answers float kNN searches, process-wide. Set with the
 * system property {@value #PROPERTY} ({@code auto}, {@code hnsw}, {@code exact}) or {@link #set}.
 */
public enum KnnSearchMode {
  /** Exact on the GPU where the segment's vectors are on it, else Lucene's HNSW search. */
  AUTO,
  /** Always Lucene's HNSW search, as {@code Lucene99HnswVectorsFormat} does. */
  HNSW,
  /** Always an exact scan on the CPU: the reference the GPU results are checked against. */
  EXACT;

  public static final String PROPERTY = "whetstone.knn.mode";

  private static volatile KnnSearchMode current = parse(System.getProperty(PROPERTY, "auto"));

  public static KnnSearchMode current() {
    return current;
  }

  public static void set(KnnSearchMode mode) {
    current = mode;
  }

  static KnnSearchMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(
          "system property " + PROPERTY + "=" + value + ": expected auto, hnsw or exact", e);
    }
  }
}
