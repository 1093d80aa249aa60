package dev.whetstone.workspace;

import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.PretrainedModel;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/** A models directory holding pretrained models, imported from their jars on first use. */
public final class ModelCache {
  private ModelCache() {}

  /** {@code ~/.cache/whetstone/models}, or {@code $XDG_CACHE_HOME/whetstone/models}. */
  public static Path defaultDir() {
    String xdg = System.getenv("XDG_CACHE_HOME");
    Path cache = xdg == null || xdg.isBlank()
        ? Paths.get(System.getProperty("user.home"), ".cache") : Paths.get(xdg);
    return cache.resolve("whetstone").resolve("models");
  }

  /** The model directory {@code modelsDir/NAME}: opened if present, else imported. */
  public static ModelDirectory ensure(Path modelsDir, String name) throws IOException {
    return PretrainedModel.byName(name).openOrImport(modelsDir);
  }
}
