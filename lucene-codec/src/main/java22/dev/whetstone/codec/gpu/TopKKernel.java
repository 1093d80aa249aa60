package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import org.apache.lucene.index.VectorSimilarityFunction;

/** Launches the top-k selection kernel ({@link TopKKernelSource}), compiled at start-up. */
final class TopKKernel {
  private final CudaDriver driver;
  private final MemorySegment function;

  TopKKernel(CudaDriver driver, MemorySegment function) {
    this.driver = driver;
    this.function = function;
  }

  static int keyKind(VectorSimilarityFunction similarity) {
    switch (similarity) {
      case COSINE:
        return TopKKernelSource.KEY_COSINE;
      case EUCLIDEAN:
        return TopKKernelSource.KEY_EUCLIDEAN;
      case DOT_PRODUCT:
      case MAXIMUM_INNER_PRODUCT:
        return TopKKernelSource.KEY_DOT;
      default:
        throw new IllegalArgumentException("unknown similarity " + similarity);
    }
  }

  static int blocks(int n) {
    return (n + TopKKernelSource.CHUNK - 1) / TopKKernelSource.CHUNK;
  }

  /**
   * Selects each query's best {@code candidates} into {@code outKeys}/{@code outOrds} (queries x
   * candidates, in no particular order) from {@code tileBlocks} blocks starting at {@code
   * firstBlock}; their dot products are at {@code dots}, {@code dotsStride} per query. The
   * selection is complete after the launch of the last tile. {@code blockKeys}/{@code blockOrds}
   * are scratch for queries x {@link #blocks}(n) x candidates; {@code finished} holds one zero per
   * query and is zero again after the last tile.
   */
  void launch(long dots, int dotsStride, int firstBlock, int tileBlocks, int n, int keyKind,
      long norms, long ordToDoc, long filters, int candidates, long blockKeys, long blockOrds,
      long finished, long outKeys, long outOrds, int queries, MemorySegment stream)
      throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment params = arena.allocate(ADDRESS, 15);
      params.setAtIndex(ADDRESS, 0, arena.allocateFrom(JAVA_LONG, dots));
      params.setAtIndex(ADDRESS, 1, arena.allocateFrom(JAVA_INT, dotsStride));
      params.setAtIndex(ADDRESS, 2, arena.allocateFrom(JAVA_INT, firstBlock));
      params.setAtIndex(ADDRESS, 3, arena.allocateFrom(JAVA_INT, blocks(n)));
      params.setAtIndex(ADDRESS, 4, arena.allocateFrom(JAVA_INT, n));
      params.setAtIndex(ADDRESS, 5, arena.allocateFrom(JAVA_INT, keyKind));
      params.setAtIndex(ADDRESS, 6, arena.allocateFrom(JAVA_LONG, norms));
      params.setAtIndex(ADDRESS, 7, arena.allocateFrom(JAVA_LONG, ordToDoc));
      params.setAtIndex(ADDRESS, 8, arena.allocateFrom(JAVA_LONG, filters));
      params.setAtIndex(ADDRESS, 9, arena.allocateFrom(JAVA_INT, candidates));
      params.setAtIndex(ADDRESS, 10, arena.allocateFrom(JAVA_LONG, blockKeys));
      params.setAtIndex(ADDRESS, 11, arena.allocateFrom(JAVA_LONG, blockOrds));
      params.setAtIndex(ADDRESS, 12, arena.allocateFrom(JAVA_LONG, finished));
      params.setAtIndex(ADDRESS, 13, arena.allocateFrom(JAVA_LONG, outKeys));
      params.setAtIndex(ADDRESS, 14, arena.allocateFrom(JAVA_LONG, outOrds));
      driver.launch(function, tileBlocks, queries, TopKKernelSource.THREADS, params, stream);
    }
  }
}
