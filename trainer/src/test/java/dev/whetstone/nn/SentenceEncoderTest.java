package dev.whetstone.nn;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtSession;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.TokenBatch;
import java.io.IOException;
import java.nio.FloatBuffer;
import java.nio.LongBuffer;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** Before any training, the DJL encoder computes what ONNX Runtime computes from the same file. */
public class SentenceEncoderTest {
  private static final float TOLERANCE = 1e-4f;

  @Test
  public void miniLmMatchesOnnxRuntime() throws Exception {
    assertMatchesOnnxRuntime("all-minilm-l6-v2", 6, 384, 12);
  }

  @Test
  public void bgeSmallMatchesOnnxRuntime() throws Exception {
    assertMatchesOnnxRuntime("bge-small-en-v1.5", 12, 384, 12);
  }

  /** The config comes from the graph: MiniLM has 12 heads of 32, not the usual heads of 64. */
  @Test
  public void e5SmallShapeIsReadFromTheGraph() throws Exception {
    BertConfig config = OnnxBertGraph.read(NnTestData.model("e5-small-v2").onnxFile()).config();
    assertEquals(new BertConfig(12, 384, 12, 1536, 30522, 512, 2, 1e-12f), config);
  }

  @Test
  public void quantizedModelsAreRefused() throws Exception {
    ModelDirectory quantized = NnTestData.model("all-minilm-l6-v2-q");
    IOException e = assertThrows(IOException.class, () -> SentenceEncoder.load(quantized, 0f));
    assertTrue(e.getMessage(), e.getMessage().contains(quantized.onnxFile().toString()));
    assertTrue(e.getMessage(), e.getMessage().contains("MatMulInteger"));
  }

  private static void assertMatchesOnnxRuntime(String name, int layers, int hidden, int heads)
      throws Exception {
    ModelDirectory directory = NnTestData.model(name);
    List<String> documents = NnTestData.documents(6);
    List<String> queries = NnTestData.queries(3);
    try (SentenceEncoder djl = SentenceEncoder.load(directory, 0.1f);
        Encoder onnx = Encoder.load(directory)) {
      BertConfig config = djl.block().config();
      assertEquals(layers, config.layers());
      assertEquals(hidden, config.hidden());
      assertEquals(heads, config.heads());

      TokenBatch batch = djl.tokenizer().documents(documents);
      assertTrue("rows must differ in length", padding(batch) > batch.length());
      float[] diff = hiddenStateDiff(hiddenState(djl, batch),
          onnxHiddenState(directory, batch), batch);
      assertTrue(name + " last hidden state differs by " + diff[0] + " at tokens",
          diff[0] <= TOLERANCE);
      // Padding positions compute through the same ops but are masked out of every result, and
      // differ a little more (8e-5 measured for bge): bound them loosely.
      assertTrue(name + " last hidden state differs by " + diff[1] + " at padding",
          diff[1] <= 10 * TOLERANCE);

      float docs = NnTestData.maxAbsDiff(NnTestData.documentVectors(djl, documents),
          onnx.encodeDocuments(documents));
      assertTrue(name + " document vectors differ by " + docs, docs <= TOLERANCE);
      float qs = NnTestData.maxAbsDiff(NnTestData.queryVectors(djl, queries),
          onnx.encodeQueries(queries));
      assertTrue(name + " query vectors differ by " + qs, qs <= TOLERANCE);
      System.out.printf("%s vs ONNX Runtime, max abs diff: hidden %.2e (padding %.2e), "
          + "documents %.2e, queries %.2e (batch %d x %d)%n", name, diff[0], diff[1], docs, qs,
          batch.rows(), batch.length());
    }
  }

  /** Padding positions in the batch. */
  private static int padding(TokenBatch batch) {
    int pad = 0;
    for (long m : batch.attentionMask()) {
      pad += m == 0 ? 1 : 0;
    }
    return pad;
  }

  private static float[] hiddenState(SentenceEncoder encoder, TokenBatch batch) {
    try (NDManager manager = encoder.model().getNDManager().newSubManager()) {
      Shape shape = new Shape(batch.rows(), batch.length());
      NDList inputs = new NDList(manager.create(LongBuffer.wrap(batch.inputIds()), shape),
          manager.create(LongBuffer.wrap(batch.attentionMask()), shape),
          manager.create(LongBuffer.wrap(batch.tokenTypeIds()), shape));
      NDArray out = encoder.block().forward(new ParameterStore(manager, false), inputs, false)
          .singletonOrThrow();
      assertEquals(new Shape(batch.rows(), batch.length(), encoder.block().config().hidden()),
          out.getShape());
      return out.toFloatArray();
    }
  }

  private static float[] onnxHiddenState(ModelDirectory directory, TokenBatch batch)
      throws Exception {
    OrtEnvironment env = OrtEnvironment.getEnvironment();
    long[] shape = {batch.rows(), batch.length()};
    try (OrtSession session = env.createSession(directory.onnxFile().toString());
        OnnxTensor ids = tensor(env, batch.inputIds(), shape);
        OnnxTensor mask = tensor(env, batch.attentionMask(), shape);
        OnnxTensor types = tensor(env, batch.tokenTypeIds(), shape);
        OrtSession.Result result = session.run(Map.of("input_ids", ids, "attention_mask", mask,
            "token_type_ids", types))) {
      OnnxTensor hidden = (OnnxTensor) result.get("last_hidden_state").orElseThrow();
      FloatBuffer buffer = hidden.getFloatBuffer();
      float[] values = new float[buffer.remaining()];
      buffer.get(values);
      return values;
    }
  }

  private static OnnxTensor tensor(OrtEnvironment env, long[] values, long[] shape)
      throws Exception {
    return OnnxTensor.createTensor(env, LongBuffer.wrap(values), shape);
  }

  /** Max abs differences {at tokens, at padding}. */
  private static float[] hiddenStateDiff(float[] a, float[] b, TokenBatch batch) {
    assertEquals(a.length, b.length);
    int dim = a.length / batch.attentionMask().length;
    float tokens = 0;
    float padding = 0;
    for (int i = 0; i < a.length; i++) {
      float d = Math.abs(a[i] - b[i]);
      if (batch.attentionMask()[i / dim] == 1) {
        tokens = Math.max(tokens, d);
      } else {
        padding = Math.max(padding, d);
      }
    }
    return new float[] {tokens, padding};
  }
}
