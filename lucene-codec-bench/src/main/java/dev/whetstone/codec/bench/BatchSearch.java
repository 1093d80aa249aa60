package dev.whetstone.codec.bench;

import dev.whetstone.codec.gpu.GpuVectorIndex;
import java.io.IOException;

/** Searches one uploaded index for a batch of queries: what {@link ScanBench} times. */
public interface BatchSearch {
  /** Each query's {@code count} candidate ordinals, best first, as {@link GpuVectorIndex#search}. */
  int[][] search(float[][] queries, int count) throws IOException;

  /**
   * One {@link GpuVectorIndex#search} after another, for a backend without a batch entry point
   * (the tests' emulated one): each "batch" then costs its queries one by one.
   */
  static BatchSearch oneByOne(GpuVectorIndex index) {
    return (queries, count) -> {
      int[][] results = new int[queries.length][];
      for (int q = 0; q < queries.length; q++) {
        results[q] = index.search(queries[q], count, null);
      }
      return results;
    };
  }
}
