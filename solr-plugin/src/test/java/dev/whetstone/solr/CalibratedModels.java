package dev.whetstone.solr;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.CosineAdapterTest;
import dev.whetstone.calibration.ScoreMap;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.TestModels;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Copies of the test's int8 MiniLM in a models directory of the test's own, so a calibration file
 * can be written beside one without touching the shared imported models.
 */
public final class CalibratedModels {
  private CalibratedModels() {}

  /** A copy of the int8 MiniLM's directory at {@code modelsDir/name}, without calibration. */
  public static Path copyOfQuantizedMiniLm(Path modelsDir, String name) throws IOException {
    ModelDirectory source = TestModels.quantizedMiniLm();
    Path dir = Files.createDirectories(modelsDir.resolve(name));
    for (String file : new String[] {ModelDirectory.ONNX_FILE, ModelDirectory.TOKENIZER_FILE,
        ModelManifest.FILE_NAME}) {
      Files.copy(source.path().resolve(file), dir.resolve(file));
    }
    return dir;
  }

  /** A random adapter (seeded) fitted, as far as its file says, for the model in {@code dir}. */
  public static CosineAdapter randomFor(Path dir, ScoreMap map, long seed, double threshold)
      throws IOException {
    ModelManifest manifest = ModelDirectory.open(dir).manifest();
    return CosineAdapterTest.random(map, manifest.dimension(), manifest.fingerprint(),
        manifest.pairedDocumentFingerprint(), seed).withThreshold(threshold);
  }

  /** Writes {@code adapter} as the calibration file of the model in {@code dir}. */
  public static CosineAdapter write(Path dir, CosineAdapter adapter) throws IOException {
    adapter.write(dir.resolve(CosineAdapter.FILE_NAME));
    return adapter;
  }
}
