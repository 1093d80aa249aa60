package dev.whetstone.calibration;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.Pooling;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class CosineAdapterTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  public static CosineAdapter random(ScoreMap map, int dim, String queryFp, String docFp, long seed) {
    Random random = new Random(seed);
    int hidden = 8;
    float[][] w1 = new float[hidden][dim];
    float[] b1 = new float[hidden];
    float[][] w2 = new float[map.parameters()][hidden];
    float[] b2 = new float[map.parameters()];
    for (float[] row : w1) {
      for (int d = 0; d < dim; d++) {
        row[d] = (float) random.nextGaussian();
      }
    }
    for (float[] row : w2) {
      for (int h = 0; h < hidden; h++) {
        row[h] = (float) random.nextGaussian() * 0.3f;
      }
    }
    b2[0] = 2;
    return new CosineAdapter(queryFp, docFp, map, 0.4, w1, b1, w2, b2, 0.7);
  }

  static ModelManifest manifest(String fingerprint, String documentFingerprint) {
    return new ModelManifest("m", "1", 4, Pooling.MEAN, true, 16, "", "", "cosine", fingerprint,
        documentFingerprint);
  }

  @Test
  public void everyFormIsMonotonicAndItsMinScoreIsWhereRelevanceReachesTheThreshold() {
    Random random = new Random(7);
    for (ScoreMap map : ScoreMap.values()) {
      CosineAdapter adapter = random(map, 4, "q", "q", map.ordinal());
      for (int trial = 0; trial < 50; trial++) {
        float[] query = {(float) random.nextGaussian(), (float) random.nextGaussian(),
            (float) random.nextGaussian(), (float) random.nextGaussian()};
        QueryScoreMap scores = adapter.forQuery(query);
        double previous = -1;
        for (double s = 0; s <= 1.0001; s += 0.01) {
          double relevance = scores.relevance(s);
          assertTrue(map + ": relevance must not fall as the score rises", relevance >= previous);
          previous = relevance;
        }
        double min = scores.minScore(0.4);
        if (min > 0 && min <= 1) {
          assertEquals(map + " at the cut-off", 0.4, scores.relevance(min), 1e-9);
          assertTrue(scores.relevance(Math.max(0, min - 1e-3)) < 0.4);
        }
      }
    }
  }

  @Test
  public void roundTripsThroughItsFile() throws IOException {
    CosineAdapter adapter = random(ScoreMap.POWER, 4, "qf", "df", 3);
    Path file = temp.getRoot().toPath().resolve(CosineAdapter.FILE_NAME);
    adapter.write(file);
    CosineAdapter read = CosineAdapter.read(file);
    float[] query = {0.5f, -0.5f, 0.5f, 0.5f};
    assertEquals(adapter.forQuery(query), read.forQuery(query));
    assertEquals(0.4, read.threshold(), 0);
    assertFalse(Files.exists(file.resolveSibling(CosineAdapter.FILE_NAME + ".tmp")));
  }

  @Test
  public void aCalibrationFittedForAnotherModelIsRefusedNamingBoth() throws IOException {
    Path dir = temp.getRoot().toPath();
    assertTrue(CosineAdapter.forModel(dir, manifest("abc", null)).isEmpty());
    random(ScoreMap.LINEAR, 4, "old-query", "old-docs", 1).write(dir.resolve(CosineAdapter.FILE_NAME));
    IOException e = assertThrows(IOException.class,
        () -> CosineAdapter.forModel(dir, manifest("new-query", "old-docs")));
    assertTrue(e.getMessage(), e.getMessage().contains("old-query")
        && e.getMessage().contains("new-query"));
    assertTrue(CosineAdapter.forModel(dir, manifest("old-query", "old-docs")).isPresent());
  }

  @Test
  public void badFilesNameTheFileAndTheField() throws IOException {
    Path file = temp.getRoot().toPath().resolve(CosineAdapter.FILE_NAME);
    Files.writeString(file, "{\"format\":\"whetstone-cosine-adapter/1\",\"queryFingerprint\":\"q\","
        + "\"documentFingerprint\":\"q\",\"map\":\"cubic\",\"threshold\":0.5}", StandardCharsets.UTF_8);
    IOException e = assertThrows(IOException.class, () -> CosineAdapter.read(file));
    assertTrue(e.getMessage(), e.getMessage().contains(file.toString())
        && e.getMessage().contains("cubic"));
    Files.writeString(file, "{\"format\":\"whetstone-cosine-adapter/1\"}", StandardCharsets.UTF_8);
    e = assertThrows(IOException.class, () -> CosineAdapter.read(file));
    assertTrue(e.getMessage(), e.getMessage().contains("queryFingerprint"));
  }
}
