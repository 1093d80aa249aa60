package dev.whetstone.codec;

import java.util.Locale;

/**
 * How {@link WhetstoneKnnVectorsReader} answers float kNN searches. The node's mode is set with the
 * system property {@value #PROPERTY} ({@code auto}, {@code hnsw}, {@code exact}) or {@link #set};
 * a field may set its own ({@link KnnFieldSettings}).
 */
public enum KnnSearchMode {
  /** Exact on the GPU where the segment's vectors are on it, else Lucene's HNSW search. */
  AUTO,
  /** Always Lucene's HNSW search, as {@code Lucene99HnswVectorsFormat} does. */
  HNSW,
  /** Always an exact scan on the CPU: the reference the GPU results are checked against. */
  EXACT;

  public static final String PROPERTY = "whetstone.knn.mode";

  private static volatile KnnSearchMode current = fromProperty(System.getProperty(PROPERTY, "auto"));

  /** The node's mode: fields that do not set their own use it. */
  public static KnnSearchMode current() {
    return current;
  }

  public static void set(KnnSearchMode mode) {
    current = mode;
  }

  /**
   * The mode named {@code value} ({@code auto}, {@code hnsw} or {@code exact}, any case).
   *
   * @throws IllegalArgumentException naming the value, for any other
   */
  public static KnnSearchMode parse(String value) {
    try {
      return valueOf(value.trim().toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("\"" + value + "\" is not auto, hnsw or exact", e);
    }
  }

  private static KnnSearchMode fromProperty(String value) {
    try {
      return parse(value);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("system property " + PROPERTY + ": " + e.getMessage(), e);
    }
  }
}
