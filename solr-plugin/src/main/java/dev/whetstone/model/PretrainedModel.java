package dev.whetstone.model;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The pretrained models Whetstone imports from the LangChain4j model jars on Maven Central, with the
 * settings their authors publish (pooling, normalization, max length, prefixes).
 */
public enum PretrainedModel {
  ALL_MINILM_L6_V2("all-minilm-l6-v2", "all-minilm-l6-v2", 384, Pooling.MEAN, 256, "", ""),
  ALL_MINILM_L6_V2_Q("all-minilm-l6-v2-q", "all-minilm-l6-v2-q", 384, Pooling.MEAN, 256, "", ""),
  BGE_SMALL_EN_V15("bge-small-en-v1.5", "bge-small-en-v1.5", 384, Pooling.CLS, 512,
      "Represent this sentence for searching relevant passages: ", ""),
  E5_SMALL_V2("e5-small-v2", "e5-small-v2", 384, Pooling.MEAN, 512, "query: ", "passage: "),
  E5_SMALL_V2_Q("e5-small-v2-q", "e5-small-v2-q", 384, Pooling.MEAN, 512, "query: ", "passage: ");

  private final String modelName;
  private final String resourceBase;
  private final int dimension;
  private final Pooling pooling;
  private final int maxLength;
  private final String queryPrefix;
  private final String documentPrefix;

  PretrainedModel(String modelName, String resourceBase, int dimension, Pooling pooling,
      int maxLength, String queryPrefix, String documentPrefix) {
    this.modelName = modelName;
    this.resourceBase = resourceBase;
    this.dimension = dimension;
    this.pooling = pooling;
    this.maxLength = maxLength;
    this.queryPrefix = queryPrefix;
    this.documentPrefix = documentPrefix;
  }

  /** Finds a model by its name, e.g. {@code all-minilm-l6-v2}. */
  public static PretrainedModel byName(String name) {
    String wanted = name.trim().toLowerCase(Locale.ROOT);
    return Stream.of(values())
        .filter(m -> m.modelName.equals(wanted))
        .findFirst()
        .orElseThrow(() -> new IllegalArgumentException("unknown model '" + name + "'; known: "
            + Arrays.stream(values()).map(m -> m.modelName).collect(Collectors.joining(", "))));
  }

  /**
   * The model directory {@code modelsDir/NAME}: opened (and verified) when present, else imported
   * from the model jar on the classpath.
   */
  public synchronized ModelDirectory openOrImport(Path modelsDir) throws IOException {
    Path dir = modelsDir.resolve(modelName);
    return Files.isDirectory(dir) ? ModelDirectory.open(dir) : importTo(dir, null);
  }

  /**
   * Writes a model directory from the model jar on the classpath ({@code jar == null}) or from the
   * given jar file. The directory appears complete or not at all.
   */
  public ModelDirectory importTo(Path target, Path jar) throws IOException {
    return ModelDirectory.create(target, folder -> {
      copyResource(jar, resourceBase + ".onnx", folder.resolve(ModelDirectory.ONNX_FILE));
      copyResource(jar, resourceBase + "-tokenizer.json",
          folder.resolve(ModelDirectory.TOKENIZER_FILE));
      String fingerprint = ModelDirectory.sha256(folder.resolve(ModelDirectory.ONNX_FILE));
      new ModelManifest(modelName, "1", dimension, pooling, true, maxLength, queryPrefix,
          documentPrefix, "dot_product", fingerprint, null)
          .write(folder.resolve(ModelManifest.FILE_NAME));
    });
  }

  private void copyResource(Path jar, String resource, Path destination) throws IOException {
    if (jar == null) {
      try (InputStream in = PretrainedModel.class.getClassLoader().getResourceAsStream(resource)) {
        if (in == null) {
          throw new IOException("resource " + resource + " is not on the classpath: add the "
              + "LangChain4j jar of model " + modelName + " or pass its jar file");
        }
        Files.copy(in, destination);
      }
      return;
    }
    try (ZipFile zip = new ZipFile(jar.toFile())) {
      ZipEntry entry = zip.getEntry(resource);
      if (entry == null) {
        throw new IOException(jar + " has no entry " + resource + " (is it the jar of model "
            + modelName + "?)");
      }
      try (InputStream in = zip.getInputStream(entry)) {
        Files.copy(in, destination);
      }
    }
  }
}
