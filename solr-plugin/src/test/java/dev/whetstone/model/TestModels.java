package dev.whetstone.model;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.nio.file.Paths;

/**
 * Real pretrained models for tests, imported once per build from the LangChain4j jars on the test
 * classpath into {@code target/test-models/NAME}.
 */
public final class TestModels {
  private TestModels() {}

  /** Folder holding the imported test models (a Solr models directory for tests). */
  public static Path root() {
    return Paths.get(System.getProperty("whetstone.test.models", "target/test-models")).toAbsolutePath();
  }

  /** The model directory of a pretrained model, imported on first use. */
  public static ModelDirectory get(String name) {
    try {
      return PretrainedModel.byName(name).openOrImport(root());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** The small int8 MiniLM: fast, for tests where speed matters more than quality. */
  public static ModelDirectory quantizedMiniLm() {
    return get("all-minilm-l6-v2-q");
  }
}
