package dev.whetstone.codec.gpu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Batches run straight on an index of {@link CudaKnnBackend}, bypassing the query coalescer, so a
 * batch holds exactly the queries given and one batch runs at a time: for the GPU micro-bench
 * ({@code GpuScanBench} in lucene-codec-bench). Not used at search time.
 */
public final class DirectScan {
  private DirectScan() {}

  /** The device memory {@code size} vectors of {@code dimension} take once uploaded. */
  public static long deviceBytes(int size, int dimension) {
    return DeviceVectorIndex.bytesFor(size, dimension);
  }

  /**
   * Each query's best {@code count} ordinals by the GPU's scores, as one batch of {@code index}
   * (uploaded by a {@link CudaKnnBackend}), unfiltered.
   */
  public static int[][] search(GpuVectorIndex index, float[][] queries, int count)
      throws IOException {
    List<DeviceVectorIndex.Query> batch = new ArrayList<>(queries.length);
    for (float[] query : queries) {
      batch.add(new DeviceVectorIndex.Query(query, count, null, null));
    }
    ((DeviceVectorIndex) index).execute(batch);
    return batch.stream().map(q -> q.result).toArray(int[][]::new);
  }
}
