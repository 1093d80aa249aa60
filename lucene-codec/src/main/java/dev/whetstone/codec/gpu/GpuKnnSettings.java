package dev.whetstone.codec.gpu;

import java.util.function.UnaryOperator;

/**
 * The node's settings of the GPU kNN path: one GPU serves all cores of a node. A field's own
 * search mode and minimum ({@link KnnFieldSettings}) override {@link #searchMode} and {@link
 * #minVectors}; everything else is the node's only. Immutable: change one with a {@code with…}
 * method, which validates the copy.
 *
 * <p>Where they come from: {@code GpuKnnCodecFactory}'s arguments in {@code solrconfig.xml}
 * ({@link #fromArgs}), else the system properties below ({@link #fromSystemProperties}), else the
 * {@code DEFAULT_} constants.
 *
 * <table>
 *   <caption>Settings</caption>
 *   <tr><th>argument</th><th>system property</th><th>default</th><th>range</th></tr>
 *   <tr><td>{@value #ENABLED}</td><td>{@code whetstone.gpu.enabled}</td><td>true</td><td></td></tr>
 *   <tr><td>{@value #SEARCH_MODE}</td><td>{@code whetstone.knn.mode}</td><td>auto</td>
 *       <td>auto, hnsw, exact</td></tr>
 *   <tr><td>{@value #MEMORY_BUDGET_MB}</td><td>{@code whetstone.gpu.memoryBudgetMB}</td><td>0
 *       (60% of the free memory)</td><td>&gt;= 0</td></tr>
 *   <tr><td>{@value #MIN_VECTORS}</td><td>{@code whetstone.gpu.minVectors}</td><td>10000</td>
 *       <td>&gt;= 0</td></tr>
 *   <tr><td>{@value #MAX_BATCH_NAME}</td><td>{@code whetstone.gpu.maxBatch}</td><td>1024</td>
 *       <td>1 to {@value #MAX_BATCH}</td></tr>
 *   <tr><td>{@value #BATCH_WINDOW_MICROS}</td><td>{@code whetstone.gpu.batchWindowMicros}</td>
 *       <td>0</td><td>&gt;= 0</td></tr>
 *   <tr><td>{@value #SCORES_MB}</td><td>{@code whetstone.gpu.scoresMB}</td><td>256</td>
 *       <td>&gt;= 1</td></tr>
 *   <tr><td>{@value #LIBRARY_PATH}</td><td>{@code whetstone.gpu.libraryPath}</td><td>empty</td>
 *       <td></td></tr>
 * </table>
 *
 * @param enabled false keeps every search on the CPU
 * @param memoryBudgetBytes device memory the vectors of all segments may take; 0 means 60% of the
 *     memory free when the backend starts
 * @param minVectors segment fields with fewer vectors stay on the CPU, where HNSW on a small graph
 *     is cheaper than a GPU round trip
 * @param maxBatch most queries against one segment coalesced into one GEMM, 1 to {@value
 *     #MAX_BATCH}
 * @param batchWindowNanos how long the first query of a batch waits for others to join; 0 batches
 *     only the queries that arrived while the GPU was busy with the previous batch
 * @param scoresBytes device memory for the dot products of one batch in flight; a batch whose dot
 *     products over all of a segment's vectors take more scans the vectors in tiles, each at least
 *     one kernel block (4096 vectors) wide. The batch's per-query scratch (block candidates,
 *     per-query filters) is bounded by the same figure: a batch needing more runs in passes of
 *     fewer queries, at least one
 * @param libraryPath directories searched first for the CUDA libraries ({@code
 *     File.pathSeparator}-separated), empty for the standard places only
 * @param searchMode how fields that do not set their own mode are searched
 */
public record GpuKnnSettings(
    boolean enabled,
    long memoryBudgetBytes,
    int minVectors,
    int maxBatch,
    long batchWindowNanos,
    long scoresBytes,
    String libraryPath,
    KnnSearchMode searchMode) {

  /** The prefix of the system properties, {@code whetstone.gpu.} + the argument's name. */
  public static final String PREFIX = "whetstone.gpu.";

  /** Argument names (the system property is {@link #PREFIX} + the name, but for the mode). */
  public static final String ENABLED = "enabled";
  public static final String MEMORY_BUDGET_MB = "memoryBudgetMB";
  public static final String MIN_VECTORS = "minVectors";
  public static final String MAX_BATCH_NAME = "maxBatch";
  public static final String BATCH_WINDOW_MICROS = "batchWindowMicros";
  public static final String SCORES_MB = "scoresMB";
  public static final String LIBRARY_PATH = "libraryPath";
  /** The mode's argument name; its system property is {@link KnnSearchMode#PROPERTY}. */
  public static final String SEARCH_MODE = "knnSearchMode";

  public static final boolean DEFAULT_ENABLED = true;
  /** 0: 60% of the device memory free when the backend starts. */
  public static final long DEFAULT_MEMORY_BUDGET_MB = 0;
  public static final int DEFAULT_MIN_VECTORS = 10_000;
  public static final int DEFAULT_MAX_BATCH = 1024;
  /** The top-k kernel runs one grid row per query of a batch, and a CUDA grid has at most 65535. */
  public static final int MAX_BATCH = 65_535;
  public static final long DEFAULT_BATCH_WINDOW_MICROS = 0;
  public static final long DEFAULT_SCORES_MB = 256;
  public static final String DEFAULT_LIBRARY_PATH = "";
  public static final KnnSearchMode DEFAULT_SEARCH_MODE = KnnSearchMode.AUTO;

  /** Every setting at its default, whatever the system properties say. */
  public static final GpuKnnSettings DEFAULTS = new GpuKnnSettings(
      DEFAULT_ENABLED,
      DEFAULT_MEMORY_BUDGET_MB << 20,
      DEFAULT_MIN_VECTORS,
      DEFAULT_MAX_BATCH,
      DEFAULT_BATCH_WINDOW_MICROS * 1000,
      DEFAULT_SCORES_MB << 20,
      DEFAULT_LIBRARY_PATH,
      DEFAULT_SEARCH_MODE);

  public GpuKnnSettings {
    if (memoryBudgetBytes < 0) {
      throw outOfRange(MEMORY_BUDGET_MB, memoryBudgetBytes >> 20, ">= 0");
    }
    if (minVectors < 0) {
      throw outOfRange(MIN_VECTORS, minVectors, ">= 0");
    }
    if (maxBatch < 1 || maxBatch > MAX_BATCH) {
      throw outOfRange(MAX_BATCH_NAME, maxBatch,
          "1 to " + MAX_BATCH + " (one CUDA grid row per query)");
    }
    if (batchWindowNanos < 0) {
      throw outOfRange(BATCH_WINDOW_MICROS, batchWindowNanos / 1000, ">= 0");
    }
    if (scoresBytes < 1) {
      throw outOfRange(SCORES_MB, scoresBytes >> 20, ">= 1");
    }
    if (libraryPath == null) {
      throw new IllegalArgumentException("GPU kNN setting " + PREFIX + LIBRARY_PATH
          + " is null: empty for the standard places only");
    }
    if (searchMode == null) {
      throw new IllegalArgumentException("GPU kNN setting " + KnnSearchMode.PROPERTY
          + " is null: auto, hnsw or exact");
    }
  }

  /**
   * From the system properties {@code whetstone.gpu.enabled}, {@code whetstone.gpu.memoryBudgetMB},
   * {@code whetstone.gpu.minVectors}, {@code whetstone.gpu.maxBatch}, {@code
   * whetstone.gpu.batchWindowMicros}, {@code whetstone.gpu.scoresMB}, {@code
   * whetstone.gpu.libraryPath} and {@code whetstone.knn.mode}; the defaults where unset.
   *
   * @throws IllegalArgumentException naming the property, for a value that is malformed or out of
   *     range
   */
  public static GpuKnnSettings fromSystemProperties() {
    return fromArgs(name -> null);
  }

  /**
   * From arguments by name ({@link #MAX_BATCH_NAME} and so on; {@code args} answers null for one
   * not given), else the system property, else the default.
   *
   * @throws IllegalArgumentException naming the argument or property, for a value that is
   *     malformed or out of range
   */
  public static GpuKnnSettings fromArgs(UnaryOperator<String> args) {
    Source source = new Source(args);
    String mode = source.get(SEARCH_MODE);
    KnnSearchMode searchMode;
    try {
      searchMode = mode == null ? DEFAULT_SEARCH_MODE : KnnSearchMode.parse(mode);
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException(source.where(SEARCH_MODE) + ": " + e.getMessage(), e);
    }
    String enabled = source.get(ENABLED);
    String libraryPath = source.get(LIBRARY_PATH);
    return new GpuKnnSettings(
        enabled == null ? DEFAULT_ENABLED : Boolean.parseBoolean(enabled.trim()),
        source.longValue(MEMORY_BUDGET_MB, DEFAULT_MEMORY_BUDGET_MB) << 20,
        source.intValue(MIN_VECTORS, DEFAULT_MIN_VECTORS),
        source.intValue(MAX_BATCH_NAME, DEFAULT_MAX_BATCH),
        source.longValue(BATCH_WINDOW_MICROS, DEFAULT_BATCH_WINDOW_MICROS) * 1000,
        source.longValue(SCORES_MB, DEFAULT_SCORES_MB) << 20,
        libraryPath == null ? DEFAULT_LIBRARY_PATH : libraryPath,
        searchMode);
  }

  /** The system property a setting is read from when no argument gives it. */
  public static String systemProperty(String name) {
    return SEARCH_MODE.equals(name) ? KnnSearchMode.PROPERTY : PREFIX + name;
  }

  public GpuKnnSettings withMemoryBudgetBytes(long value) {
    return new GpuKnnSettings(enabled, value, minVectors, maxBatch, batchWindowNanos,
        scoresBytes, libraryPath, searchMode);
  }

  public GpuKnnSettings withMinVectors(int value) {
    return new GpuKnnSettings(enabled, memoryBudgetBytes, value, maxBatch, batchWindowNanos,
        scoresBytes, libraryPath, searchMode);
  }

  public GpuKnnSettings withMaxBatch(int value) {
    return new GpuKnnSettings(enabled, memoryBudgetBytes, minVectors, value, batchWindowNanos,
        scoresBytes, libraryPath, searchMode);
  }

  public GpuKnnSettings withBatchWindowNanos(long value) {
    return new GpuKnnSettings(enabled, memoryBudgetBytes, minVectors, maxBatch, value,
        scoresBytes, libraryPath, searchMode);
  }

  public GpuKnnSettings withScoresBytes(long value) {
    return new GpuKnnSettings(enabled, memoryBudgetBytes, minVectors, maxBatch, batchWindowNanos,
        value, libraryPath, searchMode);
  }

  public GpuKnnSettings withLibraryPath(String value) {
    return new GpuKnnSettings(enabled, memoryBudgetBytes, minVectors, maxBatch, batchWindowNanos,
        scoresBytes, value, searchMode);
  }

  public GpuKnnSettings withSearchMode(KnnSearchMode value) {
    return new GpuKnnSettings(enabled, memoryBudgetBytes, minVectors, maxBatch, batchWindowNanos,
        scoresBytes, libraryPath, value);
  }

  private static IllegalArgumentException outOfRange(String name, long value, String range) {
    return new IllegalArgumentException(
        "GPU kNN setting " + PREFIX + name + "=" + value + " is out of range: " + range);
  }

  /** An argument if given, else its system property; says which one a value came from. */
  private static final class Source {
    private final UnaryOperator<String> args;

    Source(UnaryOperator<String> args) {
      this.args = args;
    }

    String get(String name) {
      String value = args.apply(name);
      if (value == null) {
        value = System.getProperty(systemProperty(name));
      }
      return value == null || value.isBlank() ? null : value;
    }

    String where(String name) {
      String value = args.apply(name);
      return value != null && !value.isBlank()
          ? "GPU kNN argument " + name
          : "system property " + systemProperty(name);
    }

    int intValue(String name, int defaultValue) {
      long value = longValue(name, defaultValue);
      if (value != (int) value) {
        throw outOfRange(name, value, "not an int");
      }
      return (int) value;
    }

    long longValue(String name, long defaultValue) {
      String value = get(name);
      if (value == null) {
        return defaultValue;
      }
      try {
        return Long.parseLong(value.trim());
      } catch (NumberFormatException e) {
        throw new IllegalArgumentException(
            where(name) + "=" + value + " is not a whole number", e);
      }
    }
  }
}
