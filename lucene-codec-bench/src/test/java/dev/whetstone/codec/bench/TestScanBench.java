package dev.whetstone.codec.bench;

import dev.whetstone.codec.gpu.EmulatedGpuBackend;
import dev.whetstone.codec.gpu.GpuVectorIndex;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * Keeps the GPU micro-bench's CPU half honest: its timing loop and recall check run against the
 * emulated backend at a tiny size, and its recall figure is checked where the answer is known.
 * The emulated backend's speed is never a GPU figure: the table shows no ratio to the floor.
 */
public class TestScanBench extends LuceneTestCase {
  private static final int K = 10;
  private static final int CANDIDATES = K + GpuVectorIndex.RESCORE_MARGIN;

  public void testRecallCountsTruthMembersAmongTheFirstK() {
    int[][] truth = {{1, 2, 3}, {4, 5, 6}};
    int[][] found = {{3, 2, 9, 1}, {7, 8}};
    assertEquals(2.0 / 6, BruteForce.recall(truth, found, 3), 0);
    assertEquals(1.0, BruteForce.recall(truth, truth, 3), 0);
  }

  public void testBruteForceFindsTheBestByDotProduct() {
    float[][] vectors = {{1, 0}, {0, 1}, {0.6f, 0.8f}, {-1, 0}};
    assertArrayEquals(new int[] {1, 2}, BruteForce.topK(vectors, new float[][] {{0, 1}}, 2)[0]);
    assertArrayEquals(new int[] {0, 2}, BruteForce.rescore(vectors, new float[] {1, 0},
        new int[] {3, 2, 0}, 2));
  }

  public void testEmulatedBackendHasFullRecallAndNoFloorRatio() throws Exception {
    // two kernel blocks (4096 vectors each) so the block merge is part of it
    float[][] vectors = SyntheticVectors.unitVectors(5000, 16, 1);
    float[][] queries = SyntheticVectors.unitVectors(8, 16, 2);
    int[][] truth = BruteForce.topK(vectors, Arrays.copyOf(queries, 6), K);
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    List<ScanBench.Row> rows;
    try (GpuVectorIndex index = new EmulatedGpuBackend().upload(
        SyntheticVectors.values(vectors), VectorSimilarityFunction.DOT_PRODUCT)) {
      rows = new ScanBench(vectors, queries, truth, K, CANDIDATES, 1 << 20, 0.01)
          .run(BatchSearch.oneByOne(index), new int[] {1, 4, 8},
              new PrintStream(printed, true, StandardCharsets.UTF_8));
    }

    assertEquals(3, rows.size());
    int[] checked = {1, 4, 6};
    for (int i = 0; i < rows.size(); i++) {
      ScanBench.Row row = rows.get(i);
      assertEquals(row.toString(), 1.0, row.recall(), 0);
      assertEquals(row.toString(), 1.0, row.recallRescored(), 0);
      assertEquals(row.toString(), checked[i], row.checked());
      assertTrue(row.toString(), row.microsPerQuery() > 0 && row.gbPerSecond() > 0);
      assertTrue("no floor ratio off the floor's shape: " + row, Double.isNaN(row.timesFloor()));
    }
    String table = printed.toString(StandardCharsets.UTF_8);
    assertTrue(table, table.contains("| 8 | ") && table.contains(" | — | "));
  }

  public void testMissingBestCandidateLowersRecallByOneInK() throws Exception {
    float[][] vectors = SyntheticVectors.unitVectors(500, 8, 3);
    float[][] queries = SyntheticVectors.unitVectors(4, 8, 4);
    int[][] truth = BruteForce.topK(vectors, queries, K);
    // a backend that loses each query's best vector: 9 of the 10 come back, even after rescoring
    BatchSearch dropsBest = (batch, count) -> {
      int[][] results = BruteForce.topK(vectors, batch, count + 1);
      return Arrays.stream(results).map(r -> Arrays.copyOfRange(r, 1, r.length)).toArray(int[][]::new);
    };
    List<ScanBench.Row> rows = new ScanBench(vectors, queries, truth, K, CANDIDATES, 1, 0.01)
        .run(dropsBest, new int[] {4}, new PrintStream(new ByteArrayOutputStream(), true,
            StandardCharsets.UTF_8));
    assertEquals(0.9, rows.get(0).recall(), 1e-9);
    assertEquals(0.9, rows.get(0).recallRescored(), 1e-9);
  }
}
