package dev.whetstone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.ParameterStore;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.TokenBatch;
import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

/** Real models and SciFact texts for the nn and export tests. */
public final class NnTestData {
  private NnTestData() {}

  public static ModelDirectory model(String name) throws IOException {
    return ModelCache.ensure(Paths.get("target", "test-models").toAbsolutePath(), name);
  }

  public static BeirDataset scifact() throws IOException {
    return BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"));
  }

  /**
   * SciFact documents cut to different lengths (a few to about 120 tokens), so a batch pads most
   * rows: short enough for a fast test, long enough to exercise every position-dependent op.
   */
  public static List<String> documents(int count) throws IOException {
    List<BeirDocument> corpus = scifact().corpus();
    List<String> texts = new ArrayList<>();
    for (int i = 0; i < count; i++) {
      String text = corpus.get(i * 97).embeddingText();
      int chars = 20 + (i * 530 / Math.max(count - 1, 1));
      texts.add(text.substring(0, Math.min(text.length(), chars)));
    }
    return texts;
  }

  public static List<String> queries(int count) throws IOException {
    Map<String, String> queries = scifact().queries();
    return queries.values().stream().limit(count).toList();
  }

  public static float maxAbsDiff(float[][] a, float[][] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int j = 0; j < a[i].length; j++) {
        max = Math.max(max, Math.abs(a[i][j] - b[i][j]));
      }
    }
    return max;
  }

  /** Query vectors of the DJL model with its current weights, one padded batch, no gradient. */
  public static float[][] queryVectors(SentenceEncoder encoder, List<String> texts) {
    return vectors(encoder, encoder.tokenizer().queries(texts));
  }

  /** Document vectors of the DJL model with its current weights, one padded batch. */
  public static float[][] documentVectors(SentenceEncoder encoder, List<String> texts) {
    return vectors(encoder, encoder.tokenizer().documents(texts));
  }

  private static float[][] vectors(SentenceEncoder encoder, TokenBatch batch) {
    try (NDManager manager = encoder.model().getNDManager().newSubManager()) {
      NDArray vectors = encoder.embed(new ParameterStore(manager, false), manager, batch, false);
      int dim = (int) vectors.getShape().get(1);
      float[] data = vectors.toFloatArray();
      float[][] rows = new float[batch.rows()][];
      for (int r = 0; r < rows.length; r++) {
        rows[r] = Arrays.copyOfRange(data, r * dim, (r + 1) * dim);
      }
      return rows;
    }
  }
}
