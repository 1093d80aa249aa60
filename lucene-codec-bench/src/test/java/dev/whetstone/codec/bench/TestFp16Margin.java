package dev.whetstone.codec.bench;

import dev.whetstone.codec.gpu.Fp16;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.lucene.tests.util.LuceneTestCase;

/** The fp16 margin measurement finds a miss where one is built in, and reads the cache files. */
public class TestFp16Margin extends LuceneTestCase {
  private static final float ULP = 0x1p-10f; // fp16's spacing in [1, 2)

  /**
   * Query (1, 1). Doc 0 scores 2 + 0.45 ulp exactly but (1, 1) in fp16: 2. Doc 1 scores 2 + 0.35
   * ulp exactly and rounds to (1 + ulp, 1): 2 + ulp. fp16 puts doc 1 first, so k = 1 needs a
   * margin of 1.
   */
  public void testRoundingThatSwapsTheTopNeedsAMargin() {
    float[][] docs = {{1 + 0.45f * ULP, 1}, {1 + 0.55f * ULP, 1 - 0.2f * ULP}, {0, 0.5f}};
    float[][] queries = {{1, 1}};
    assertEquals(1 + ULP, Fp16.round(docs[1][0]), 0);
    assertEquals(1f, Fp16.round(docs[1][1]), 0);
    assertArrayEquals(new int[] {2}, Fp16Margin.fp16Positions(docs, queries, 1)[0]);
    List<Fp16Margin.Row> rows = Fp16Margin.measure(docs, queries, new int[] {1},
        new int[] {0, 1});
    assertEquals(new Fp16Margin.Row(1, 0, 1, 1, 1, 1), rows.get(0));
    assertEquals(new Fp16Margin.Row(1, 1, 0, 0, 1, 1), rows.get(1));
  }

  /** Two documents that are the same vector tie in both orders; the tie counts against. */
  public void testTiesCountAgainstTheMember() {
    float[][] docs = {{0.5f, 0.5f}, {0.5f, 0.5f}, {0, 0.1f}};
    int[] positions = Fp16Margin.fp16Positions(docs, new float[][] {{1, 1}}, 2)[0];
    assertArrayEquals(new int[] {2, 2}, positions);
  }

  public void testMissesNeverGrowWithTheMargin() {
    float[][] docs = SyntheticVectors.unitVectors(3000, 64, 7);
    float[][] queries = SyntheticVectors.unitVectors(20, 64, 8);
    List<Fp16Margin.Row> rows = Fp16Margin.measure(docs, queries, Fp16Margin.KS,
        Fp16Margin.MARGINS);
    assertEquals(Fp16Margin.KS.length * Fp16Margin.MARGINS.length, rows.size());
    for (int i = 1; i < rows.size(); i++) {
      Fp16Margin.Row previous = rows.get(i - 1);
      Fp16Margin.Row row = rows.get(i);
      if (row.k() == previous.k()) {
        assertTrue(rows.toString(), row.membersMissed() <= previous.membersMissed());
        assertTrue(rows.toString(), row.queriesMissing() <= previous.queriesMissing());
      }
      if (row.margin() >= row.worstNeeded()) {
        assertEquals(row.toString(), 0, row.membersMissed());
      } else {
        assertTrue(row.toString(), row.queriesMissing() > 0);
      }
    }
  }

  public void testReadsACacheFile() throws IOException {
    Path file = createTempDir("vec").resolve("v.vec");
    try (OutputStream out = Files.newOutputStream(file);
        DataOutputStream data = new DataOutputStream(out)) {
      data.write("WHETVEC1".getBytes(StandardCharsets.US_ASCII));
      data.writeInt(2);
      data.writeInt(3);
      ByteBuffer floats = ByteBuffer.allocate(6 * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      floats.asFloatBuffer().put(new float[] {1, 2, 3, -4, 5.5f, 6});
      data.write(floats.array());
    }
    float[][] read = VecFile.read(file);
    assertArrayEquals(new float[] {1, 2, 3}, read[0], 0);
    assertArrayEquals(new float[] {-4, 5.5f, 6}, read[1], 0);

    Files.write(file, new byte[] {'W', 'H', 'E', 'T', 'V', 'E', 'C', '1', 0, 0, 0, 9, 0, 0, 0, 3});
    IOException e = expectThrows(IOException.class, () -> VecFile.read(file));
    assertTrue(e.getMessage(),
        e.getMessage().contains("9 x 3") && e.getMessage().contains(file.toString()));
  }
}
