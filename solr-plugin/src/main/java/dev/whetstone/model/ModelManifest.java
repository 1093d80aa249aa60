package dev.whetstone.model;

import static dev.whetstone.model.JsonFields.optionalString;
import static dev.whetstone.model.JsonFields.required;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.TreeMap;

/**
 * The contents of {@code whetstone-model.json}: everything needed to turn text into the same vector
 * in the trainer and in Solr.
 *
 * @param name model name, e.g. {@code all-minilm-l6-v2}
 * @param version free-form version of this model directory
 * @param dimension length of the output vectors
 * @param pooling how token vectors become one vector
 * @param normalize whether vectors are scaled to unit length
 * @param maxLength tokens per text, special tokens included; longer texts are truncated
 * @param queryPrefix prepended to every query text (may be empty)
 * @param documentPrefix prepended to every document text (may be empty)
 * @param similarity the Lucene vector similarity the vectors are meant for ({@code cosine}, {@code
 *     dot_product}, {@code euclidean})
 * @param fingerprint sha256 (hex) of {@code model.onnx}
 * @param documentTowerFingerprint for a query-only model, the fingerprint of the document model it
 *     pairs with; {@code null} for a model that embeds both sides
 * @param files sha256 (hex) of the directory's other files by name ({@code tokenizer.json}, {@code
 *     calibration.json}), filled when the model is published to Solr's file store, so a node can
 *     verify every file it loads; empty for a directory that was never published
 */
public record ModelManifest(
    String name,
    String version,
    int dimension,
    Pooling pooling,
    boolean normalize,
    int maxLength,
    String queryPrefix,
    String documentPrefix,
    String similarity,
    String fingerprint,
    String documentTowerFingerprint,
    Map<String, String> files) {

  public static final String FILE_NAME = "whetstone-model.json";

  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().disableHtmlEscaping().create();

  public ModelManifest {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(pooling, "pooling");
    queryPrefix = queryPrefix == null ? "" : queryPrefix;
    documentPrefix = documentPrefix == null ? "" : documentPrefix;
    version = version == null ? "1" : version;
    similarity = similarity == null ? "cosine" : similarity.toLowerCase(Locale.ROOT);
    files = files == null ? Map.of() : Collections.unmodifiableMap(new TreeMap<>(files));
    if (dimension <= 0) {
      throw new IllegalArgumentException("dimension must be > 0, got " + dimension);
    }
    if (maxLength <= 2) {
      throw new IllegalArgumentException("maxLength must be > 2, got " + maxLength);
    }
  }

  /** The document model this query model pairs with: its own fingerprint unless query-only. */
  public String pairedDocumentFingerprint() {
    return documentTowerFingerprint == null ? fingerprint : documentTowerFingerprint;
  }

  /** A manifest of a directory that was never published: no digests of its other files. */
  public ModelManifest(String name, String version, int dimension, Pooling pooling,
      boolean normalize, int maxLength, String queryPrefix, String documentPrefix,
      String similarity, String fingerprint, String documentTowerFingerprint) {
    this(name, version, dimension, pooling, normalize, maxLength, queryPrefix, documentPrefix,
        similarity, fingerprint, documentTowerFingerprint, Map.of());
  }

  /** This manifest with the digests of the directory's other files ({@link ModelFiles#digests}). */
  public ModelManifest withFiles(Map<String, String> digests) {
    return new ModelManifest(name, version, dimension, pooling, normalize, maxLength, queryPrefix,
        documentPrefix, similarity, fingerprint, documentTowerFingerprint, digests);
  }

  /** Reads and validates a manifest; errors name the file and the field. */
  public static ModelManifest read(Path file) throws IOException {
    JsonObject json = JsonFields.readObject(file);
    try {
      return new ModelManifest(
          required(json, "name").getAsString(),
          optionalString(json, "version"),
          required(json, "dimension").getAsInt(),
          Pooling.parse(required(json, "pooling").getAsString()),
          required(json, "normalize").getAsBoolean(),
          required(json, "maxLength").getAsInt(),
          optionalString(json, "queryPrefix"),
          optionalString(json, "documentPrefix"),
          optionalString(json, "similarity"),
          required(json, "fingerprint").getAsString(),
          optionalString(json, "documentTowerFingerprint"),
          files(json));
    } catch (RuntimeException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private static Map<String, String> files(JsonObject json) {
    JsonElement files = json.get("files");
    if (files == null || files.isJsonNull()) {
      return Map.of();
    }
    if (!files.isJsonObject()) {
      throw new IllegalArgumentException("'files' must be an object of file name to sha256");
    }
    Map<String, String> digests = new TreeMap<>();
    files.getAsJsonObject().entrySet().forEach(e -> digests.put(e.getKey(), e.getValue().getAsString()));
    return digests;
  }

  public void write(Path file) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("name", name);
    json.addProperty("version", version);
    json.addProperty("dimension", dimension);
    json.addProperty("pooling", pooling.name().toLowerCase(Locale.ROOT));
    json.addProperty("normalize", normalize);
    json.addProperty("maxLength", maxLength);
    json.addProperty("queryPrefix", queryPrefix);
    json.addProperty("documentPrefix", documentPrefix);
    json.addProperty("similarity", similarity);
    json.addProperty("fingerprint", fingerprint);
    if (documentTowerFingerprint != null) {
      json.addProperty("documentTowerFingerprint", documentTowerFingerprint);
    }
    if (!files.isEmpty()) {
      JsonObject digests = new JsonObject();
      files.forEach(digests::addProperty);
      json.add("files", digests);
    }
    try (Writer writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      GSON.toJson(json, writer);
      writer.write('\n');
    }
  }
}
