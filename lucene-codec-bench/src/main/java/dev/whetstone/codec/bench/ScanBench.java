package dev.whetstone.codec.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

/**
 * Times batches of queries against vectors already uploaded to a backend, and checks the answers
 * against {@link BruteForce}: the scan itself, without Lucene, HNSW or an index. For each batch
 * size: µs per query, the batch's p50, GB/s (the index's device bytes scanned once per batch /
 * batch time), the ratio to the measured floor (only at its shape, 1M × 384), and recall@k of the
 * backend's order and after rescoring its candidates on the CPU (what the Lucene reader serves).
 */
public final class ScanBench {
  /** The floor (issue 11: H100, cuBLAS GemmEx fp16 in / fp32 compute, scores only, 1M × 384). */
  private static final int FLOOR_SIZE = 1_000_000;
  private static final int FLOOR_DIMENSION = 384;
  private static final int[] FLOOR_BATCHES = {1, 16, 64, 256, 1024};
  private static final double[] FLOOR_MICROS_PER_QUERY = {269, 18.4, 5.7, 2.6, 2.05};
  /** Batches timed per size at least, whatever the time target, for a p50 worth the name. */
  private static final int MIN_BATCHES = 3;

  /** One batch size's figures; {@code timesFloor} is NaN away from the floor's shape. */
  public record Row(int batch, double microsPerQuery, double batchP50Millis, double gbPerSecond,
      double timesFloor, double recall, double recallRescored, int checked) {}

  private final float[][] vectors;
  private final float[][] queries;
  private final int[][] truth;
  private final int k;
  private final int candidates;
  private final long deviceBytes;
  private final double secondsPerBatchSize;

  /**
   * @param truth exact top-k of the first {@code truth.length} queries (from {@link BruteForce})
   * @param candidates ordinals asked of the backend per query (k plus the reader's margin)
   * @param deviceBytes what the index holds on the device, scanned once per batch
   * @param secondsPerBatchSize how long each batch size is timed (at least {@value #MIN_BATCHES}
   *     batches)
   */
  public ScanBench(float[][] vectors, float[][] queries, int[][] truth, int k, int candidates,
      long deviceBytes, double secondsPerBatchSize) {
    if (k < 1 || candidates < k || truth.length > queries.length) {
      throw new IllegalArgumentException("scan bench: k=" + k + " candidates=" + candidates
          + " truth for " + truth.length + " of " + queries.length + " queries");
    }
    this.vectors = vectors;
    this.queries = queries;
    this.truth = truth;
    this.k = k;
    this.candidates = candidates;
    this.deviceBytes = deviceBytes;
    this.secondsPerBatchSize = secondsPerBatchSize;
  }

  /** Times each batch size (at most the query count) and prints one table row per size. */
  public List<Row> run(BatchSearch search, int[] batches, PrintStream out) throws IOException {
    out.printf(Locale.ROOT, "| batch | µs/query | × floor | batch p50 ms | GB/s | recall@%d "
        + "| recall@%d rescored | queries checked |%n", k, k);
    out.println("|---|---|---|---|---|---|---|---|");
    List<Row> rows = new ArrayList<>();
    for (int batch : batches) {
      if (batch > queries.length) {
        throw new IllegalArgumentException(
            "batch " + batch + " is larger than the " + queries.length + " queries generated");
      }
      Row row = time(search, Arrays.copyOf(queries, batch));
      rows.add(row);
      out.printf(Locale.ROOT, "| %d | %.2f | %s | %.3f | %.0f | %.4f | %.4f | %d |%n", row.batch,
          row.microsPerQuery, Double.isNaN(row.timesFloor) ? "—" : String.format(Locale.ROOT,
              "%.2f", row.timesFloor), row.batchP50Millis, row.gbPerSecond, row.recall,
          row.recallRescored, row.checked);
    }
    return rows;
  }

  private Row time(BatchSearch search, float[][] batch) throws IOException {
    // the first batch warms up and is the one checked
    int[][] first = search.search(batch, candidates);
    int checked = Math.min(batch.length, truth.length);
    int[][] found = Arrays.copyOf(first, checked);
    int[][] rescored = new int[checked][];
    for (int q = 0; q < checked; q++) {
      rescored[q] = BruteForce.rescore(vectors, batch[q], first[q], k);
    }
    int[][] expected = Arrays.copyOf(truth, checked);

    List<Long> nanos = new ArrayList<>();
    long total = 0;
    while (nanos.size() < MIN_BATCHES || total < secondsPerBatchSize * 1e9) {
      long start = System.nanoTime();
      search.search(batch, candidates);
      long elapsed = System.nanoTime() - start;
      nanos.add(elapsed);
      total += elapsed;
    }
    long[] sorted = nanos.stream().mapToLong(Long::longValue).sorted().toArray();
    double seconds = total / 1e9;
    double microsPerQuery = seconds * 1e6 / ((double) sorted.length * batch.length);
    return new Row(batch.length, microsPerQuery, sorted[sorted.length / 2] / 1e6,
        (double) deviceBytes * sorted.length / seconds / 1e9,
        microsPerQuery / floorMicros(batch.length),
        BruteForce.recall(expected, found, k), BruteForce.recall(expected, rescored, k), checked);
  }

  /** The floor's µs/query at this batch size, NaN where the floor was not measured. */
  private double floorMicros(int batch) {
    if (vectors.length != FLOOR_SIZE || vectors[0].length != FLOOR_DIMENSION) {
      return Double.NaN;
    }
    for (int i = 0; i < FLOOR_BATCHES.length; i++) {
      if (FLOOR_BATCHES[i] == batch) {
        return FLOOR_MICROS_PER_QUERY[i];
      }
    }
    return Double.NaN;
  }
}
