package dev.whetstone.model;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class EncoderTest {
  private static Encoder encoder;

  @BeforeClass
  public static void load() throws Exception {
    encoder = Encoder.load(TestModels.quantizedMiniLm());
  }

  @AfterClass
  public static void close() {
    encoder.close();
  }

  @Test
  public void vectorsHaveTheManifestDimensionAndUnitLength() {
    float[][] vectors = encoder.encodeDocuments(List.of("Aspirin lowers fever.", "A second text."));
    for (float[] v : vectors) {
      assertEquals(384, v.length);
      assertEquals(1.0, norm(v), 1e-4);
    }
  }

  @Test
  public void relatedTextsAreCloserThanUnrelatedOnes() {
    float[] query = encoder.encodeQuery("What lowers a fever?");
    float[][] docs = encoder.encodeDocuments(List.of(
        "Aspirin and paracetamol reduce fever in adults.",
        "The stock market closed higher on Friday."));
    assertTrue(dot(query, docs[0]) > dot(query, docs[1]) + 0.1);
  }

  /**
   * Padding is masked out, so a text's vector does not depend on its batch. This holds for fp32
   * models only: int8 models quantize activations with one scale per tensor, padding included.
   */
  @Test
  public void batchingAndPaddingDoNotChangeVectors() throws Exception {
    try (Encoder fp32 = Encoder.load(TestModels.get("all-minilm-l6-v2"))) {
      assertPaddingInvariant(fp32);
    }
  }

  private static void assertPaddingInvariant(Encoder encoder) {
    String shortText = "Vitamin D";
    String longText = "Vitamin D deficiency is associated with an increased risk of fractures in "
        + "older adults, according to several cohort studies.";
    float[] alone = encoder.encodeDocuments(List.of(shortText))[0];
    float[][] batched = encoder.encodeDocuments(List.of(longText, shortText, longText), 2);
    for (int i = 0; i < alone.length; i++) {
      assertEquals(alone[i], batched[1][i], 1e-4);
    }
    assertNotEquals(dot(batched[0], batched[1]), 1.0, 1e-3);
    assertEquals(1.0, dot(batched[0], batched[2]), 1e-5);
  }

  @Test
  public void textsPastMaxLengthAreTruncatedNotRejected() {
    String longText = "word ".repeat(5000);
    assertEquals(encoder.manifest().maxLength(), encoder.documentTokenCount(longText));
    float[] v = encoder.encodeDocuments(List.of(longText))[0];
    assertEquals(1.0, norm(v), 1e-4);
  }

  @Test
  public void gpuFallsBackToCpuWithoutTheCudaProvider() throws Exception {
    org.junit.Assume.assumeFalse("this JVM has ONNX Runtime's CUDA provider", Encoder.cudaAvailable());
    try (Encoder gpu = Encoder.load(TestModels.quantizedMiniLm(), Encoder.Placement.GPU, 1)) {
      assertEquals(Encoder.Placement.CPU, gpu.placement());
      assertEquals(384, gpu.encodeQuery("still works").length);
    }
  }

  static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }

  static double norm(float[] v) {
    return Math.sqrt(dot(v, v));
  }

  @Test
  public void documentBatchesTakeTurnsWhenTheirThreadsWouldOversubscribeTheProcessors() {
    int processors = Runtime.getRuntime().availableProcessors();
    assertEquals(1, Encoder.concurrentDocumentRuns(Encoder.Placement.CPU, processors));
    assertEquals(1, Encoder.concurrentDocumentRuns(Encoder.Placement.CPU, 2 * processors));
    assertEquals(processors, Encoder.concurrentDocumentRuns(Encoder.Placement.CPU, 1));
    assertEquals(Integer.MAX_VALUE, Encoder.concurrentDocumentRuns(Encoder.Placement.GPU, processors));
  }

  @Test
  public void concurrentDocumentCallersGetTheVectorsOfOneCaller() throws Exception {
    List<String> texts = List.of("Aspirin lowers the risk of heart attacks.",
        "Vitamin D deficiency is common in winter.", "Statins reduce LDL cholesterol.");
    float[][] alone = encoder.encodeDocuments(texts, 2);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<float[][]>> results = new ArrayList<>();
      for (int i = 0; i < 8; i++) {
        results.add(pool.submit(() -> encoder.encodeDocuments(texts, 2)));
      }
      for (Future<float[][]> result : results) {
        float[][] vectors = result.get();
        for (int t = 0; t < texts.size(); t++) {
          assertArrayEquals(alone[t], vectors[t], 1e-6f);
        }
      }
    } finally {
      pool.shutdownNow();
    }
  }
}
