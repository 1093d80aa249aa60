package dev.whetstone.codec.gpu;

import java.util.Locale;

/**
 * How {@link WhetstoneKnnVectorsReader} answers float kNN searches. The node's mode is {@link
 * GpuKnnSettings#searchMode()} (system property {@value #PROPERTY}: {@code auto}, {@code hnsw},
 * {@code exact}); a field may set its own ({@link KnnFieldSettings}). {@link SearchModeReader}
 * searches a reader in one mode, for benchmarks and tests comparing the paths.
 */
public enum KnnSearchMode {
  /** Exact on the GPU where the segment's vectors are on it, else Lucene's HNSW search. */
  AUTO,
  /** Always Lucene's HNSW search, as {@code Lucene99HnswVectorsFormat} does. */
  HNSW,
  /** Always an exact scan on the CPU: the reference the GPU results are checked against. */
  EXACT;

  /** The system property of the node's mode. */
  public static final String PROPERTY = "whetstone.knn.mode";

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
}
