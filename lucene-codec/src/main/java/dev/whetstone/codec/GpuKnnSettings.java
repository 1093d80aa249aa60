package dev.whetstone.codec;

/**
 * Settings of the GPU backend, process-wide (one GPU serves all cores of a node).
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
 */
public record GpuKnnSettings(
    boolean enabled,
    long memoryBudgetBytes,
    int minVectors,
    int maxBatch,
    long batchWindowNanos,
    long scoresBytes,
    String libraryPath) {

  public static final String PREFIX = "whetstone.gpu.";
  /** The top-k kernel runs one grid row per query of a batch, and a CUDA grid has at most 65535. */
  public static final int MAX_BATCH = 65_535;

  public GpuKnnSettings {
    if (memoryBudgetBytes < 0) {
      throw outOfRange("memoryBudgetMB", memoryBudgetBytes >> 20, ">= 0");
    }
    if (minVectors < 0) {
      throw outOfRange("minVectors", minVectors, ">= 0");
    }
    if (maxBatch < 1 || maxBatch > MAX_BATCH) {
      throw outOfRange("maxBatch", maxBatch, "1 to " + MAX_BATCH + " (one CUDA grid row per query)");
    }
    if (batchWindowNanos < 0) {
      throw outOfRange("batchWindowMicros", batchWindowNanos / 1000, ">= 0");
    }
    if (scoresBytes < 1) {
      throw outOfRange("scoresMB", scoresBytes >> 20, ">= 1");
    }
  }

  /**
   * From the system properties {@code whetstone.gpu.enabled} (true), {@code
   * whetstone.gpu.memoryBudgetMB} (0 = 60% of free), {@code whetstone.gpu.minVectors} (10000),
   * {@code whetstone.gpu.maxBatch} (1024), {@code whetstone.gpu.batchWindowMicros} (0), {@code
   * whetstone.gpu.scoresMB} (256) and {@code whetstone.gpu.libraryPath} (empty).
   */
  public static GpuKnnSettings fromSystemProperties() {
    return new GpuKnnSettings(
        Boolean.parseBoolean(System.getProperty(PREFIX + "enabled", "true")),
        longProperty("memoryBudgetMB", 0) << 20,
        intProperty("minVectors", 10_000),
        intProperty("maxBatch", 1024),
        longProperty("batchWindowMicros", 0) * 1000,
        longProperty("scoresMB", 256) << 20,
        System.getProperty(PREFIX + "libraryPath", ""));
  }

  public GpuKnnSettings withMinVectors(int min) {
    return new GpuKnnSettings(
        enabled, memoryBudgetBytes, min, maxBatch, batchWindowNanos, scoresBytes, libraryPath);
  }

  private static IllegalArgumentException outOfRange(String name, long value, String range) {
    return new IllegalArgumentException(
        "GPU kNN setting " + PREFIX + name + "=" + value + " is out of range: " + range);
  }

  private static int intProperty(String name, int defaultValue) {
    long value = longProperty(name, defaultValue);
    if (value != (int) value) {
      throw outOfRange(name, value, "not an int");
    }
    return (int) value;
  }

  private static long longProperty(String name, long defaultValue) {
    String value = System.getProperty(PREFIX + name);
    if (value == null || value.isBlank()) {
      return defaultValue;
    }
    try {
      return Long.parseLong(value.trim());
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException(
          "system property " + PREFIX + name + "=" + value + " is not a whole number", e);
    }
  }
}
