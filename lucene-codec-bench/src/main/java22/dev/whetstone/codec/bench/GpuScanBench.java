package dev.whetstone.codec.bench;

import dev.whetstone.codec.gpu.CudaKnnBackend;
import dev.whetstone.codec.gpu.DirectScan;
import dev.whetstone.codec.gpu.GpuKnn;
import dev.whetstone.codec.gpu.GpuKnnBackend;
import dev.whetstone.codec.gpu.GpuVectorIndex;
import dev.whetstone.codec.gpu.StaysOnCpuException;
import java.util.Arrays;
import java.util.Locale;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * The GPU scan alone (issue 11's micro-bench): synthetic unit vectors uploaded straight to the CUDA
 * backend (no Lucene index, no HNSW), then {@link ScanBench} with batches of exactly N queries,
 * each one run as the coalescer would run it ({@link DirectScan}), bypassing the coalescer
 * so the batch size is the one asked for (and one batch runs at a time). Without a usable GPU it prints why and exits 0.
 *
 * <pre>
 * java --enable-native-access=ALL-UNNAMED \
 *     -cp lucene-core.jar:whetstone-lucene-codec.jar:whetstone-lucene-codec-bench.jar \
 *     dev.whetstone.codec.bench.GpuScanBench [--size 1000000] [--dim 384] [--batches 1,16,64,256,1024]
 *     [--recall-queries 50] [--k 10] [--seconds 1]
 * </pre>
 */
public final class GpuScanBench {
  private GpuScanBench() {}

  public static void main(String[] args) throws Exception {
    Options options = Options.parse(args);
    System.out.println("GPU micro-bench: JDK " + Runtime.version() + ", "
        + Runtime.getRuntime().availableProcessors() + " CPUs");
    GpuKnn node = GpuKnn.node();
    GpuKnnBackend backend = node.backend();
    if (!(backend instanceof CudaKnnBackend cuda)) {
      System.out.println("GPU micro-bench skipped: GPU backend unavailable: "
          + (backend == null ? node.unavailableReason() : "not the CUDA backend: " + backend.device()));
      return;
    }
    System.out.println("device: " + cuda.device());

    long start = System.nanoTime();
    float[][] vectors = SyntheticVectors.unitVectors(options.size, options.dim, 1);
    int queryCount = Arrays.stream(options.batches).max().orElse(1);
    float[][] queries = SyntheticVectors.unitVectors(queryCount, options.dim, 2);
    int[][] truth = BruteForce.topK(vectors, Arrays.copyOf(queries,
        Math.min(options.recallQueries, queryCount)), options.k);
    System.out.printf(Locale.ROOT, "%,d x %d unit vectors (dot product), %d queries, CPU truth "
        + "for %d: %.1f s%n", options.size, options.dim, queryCount, truth.length, seconds(start));

    start = System.nanoTime();
    long deviceBytes = DirectScan.deviceBytes(options.size, options.dim);
    GpuVectorIndex index;
    try {
      index = cuda.upload(SyntheticVectors.values(vectors), VectorSimilarityFunction.DOT_PRODUCT);
    } catch (StaysOnCpuException e) {
      System.out.println("GPU micro-bench failed: " + e.getMessage()
          + " (whetstone.gpu.memoryBudgetMB)");
      System.exit(1);
      return;
    }
    try (index) {
      System.out.printf(Locale.ROOT, "upload: %.2f s, %,d bytes on the device%n", seconds(start),
          deviceBytes);
      BatchSearch direct = (batchQueries, count) -> DirectScan.search(index, batchQueries, count);
      new ScanBench(vectors, queries, truth, options.k, options.k + GpuVectorIndex.RESCORE_MARGIN,
          deviceBytes, options.seconds).run(direct, options.batches, System.out);
    }
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }

  private record Options(int size, int dim, int[] batches, int recallQueries, int k,
      double seconds) {
    static Options parse(String[] args) {
      BenchArgs options =
          BenchArgs.parse(args, "size", "dim", "batches", "recall-queries", "k", "seconds");
      int size = options.intValue("size", 1_000_000);
      int dim = options.intValue("dim", 384);
      int[] batches = options.intList("batches", new int[] {1, 16, 64, 256, 1024});
      int recallQueries = options.intValue("recall-queries", 50);
      int k = options.intValue("k", 10);
      double seconds = options.doubleValue("seconds", 1);
      if (size < 1 || dim < 1 || Arrays.stream(batches).anyMatch(b -> b < 1)) {
        throw new IllegalArgumentException("--size " + size + ", --dim " + dim + " and --batches "
            + Arrays.toString(batches) + " must be positive");
      }
      return new Options(size, dim, batches, recallQueries, k, seconds);
    }
  }
}
