package dev.whetstone.bench;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import java.io.IOException;
import java.nio.LongBuffer;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The baseline the encoder benchmark compares against: the same tokenizer and model called through
 * ONNX Runtime's own Java API, with no DJL in between. Mean pooling only (MiniLM, E5); used by the
 * benchmark, never by Solr or the trainer.
 */
final class RawOrtEncoder implements AutoCloseable {
  private final OrtEnvironment env = OrtEnvironment.getEnvironment();
  private final OrtSession session;
  private final HuggingFaceTokenizer tokenizer;
  private final ModelManifest manifest;

  RawOrtEncoder(ModelDirectory dir) throws IOException, OrtException {
    manifest = dir.manifest();
    tokenizer = HuggingFaceTokenizer.builder()
        .optTokenizerPath(dir.tokenizerFile())
        .optMaxLength(manifest.maxLength())
        .optTruncation(true)
        .optPadding(false)
        .build();
    session = env.createSession(dir.onnxFile().toString(), new OrtSession.SessionOptions());
  }

  /** Embeds documents in length-sorted batches, like {@code Encoder.encodeDocuments}. */
  float[][] encodeDocuments(List<String> texts, int batchSize) throws OrtException {
    Encoding[] encodings = new Encoding[texts.size()];
    for (int i = 0; i < encodings.length; i++) {
      encodings[i] = tokenizer.encode(manifest.documentPrefix() + texts.get(i));
    }
    Integer[] order = new Integer[encodings.length];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, Comparator.comparingInt(i -> encodings[i].getIds().length));
    float[][] out = new float[encodings.length][];
    for (int start = 0; start < order.length; start += batchSize) {
      int end = Math.min(order.length, start + batchSize);
      int rows = end - start;
      int seq = encodings[order[end - 1]].getIds().length;
      long[] ids = new long[rows * seq];
      long[] mask = new long[rows * seq];
      long[] types = new long[rows * seq];
      for (int r = 0; r < rows; r++) {
        Encoding e = encodings[order[start + r]];
        System.arraycopy(e.getIds(), 0, ids, r * seq, e.getIds().length);
        System.arraycopy(e.getTypeIds(), 0, types, r * seq, e.getIds().length);
        Arrays.fill(mask, r * seq, r * seq + e.getIds().length, 1L);
      }
      long[] shape = {rows, seq};
      Map<String, OnnxTensor> inputs = new HashMap<>();
      try {
        inputs.put("input_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(ids), shape));
        inputs.put("attention_mask", OnnxTensor.createTensor(env, LongBuffer.wrap(mask), shape));
        if (session.getInputNames().contains("token_type_ids")) {
          inputs.put("token_type_ids", OnnxTensor.createTensor(env, LongBuffer.wrap(types), shape));
        }
        try (OrtSession.Result result = session.run(inputs)) {
          float[][][] hidden = (float[][][]) result.get(0).getValue();
          for (int r = 0; r < rows; r++) {
            out[order[start + r]] = meanPool(hidden[r], mask, r * seq);
          }
        }
      } finally {
        inputs.values().forEach(OnnxTensor::close);
      }
    }
    return out;
  }

  private static float[] meanPool(float[][] tokens, long[] mask, int offset) {
    float[] sum = new float[tokens[0].length];
    int count = 0;
    for (int t = 0; t < tokens.length; t++) {
      if (mask[offset + t] == 0) {
        continue;
      }
      count++;
      for (int d = 0; d < sum.length; d++) {
        sum[d] += tokens[t][d];
      }
    }
    double norm = 0;
    for (int d = 0; d < sum.length; d++) {
      sum[d] /= count;
      norm += sum[d] * sum[d];
    }
    float scale = (float) (1 / Math.sqrt(norm));
    for (int d = 0; d < sum.length; d++) {
      sum[d] *= scale;
    }
    return sum;
  }

  @Override
  public void close() throws OrtException {
    session.close();
    tokenizer.close();
  }
}
