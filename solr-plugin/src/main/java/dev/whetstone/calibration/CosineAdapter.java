package dev.whetstone.calibration;

import static dev.whetstone.model.JsonFields.required;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.whetstone.model.JsonFields;
import dev.whetstone.model.ModelManifest;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;

/**
 * A Cosine Adapter (Rossi et al., "Relevance Filtering for Embedding-based Retrieval", CIKM 2024):
 * a small network from the query embedding to the parameters of a monotonic {@link ScoreMap}, so
 * that one global threshold on the mapped score filters every query alike. Kept in the model
 * directory as {@value #FILE_NAME}, with the fingerprints of the towers it was fitted for.
 *
 * <p>Network: {@code h = relu(W1·q + b1)}, {@code r = W2·h + b2}; {@code a = softplus(r0)}, {@code
 * p = softplus(r2)} for the power form, and the logit {@code a·(g(s) − center) + r1}: {@code r1} is
 * the logit at the typical score {@code center}, which keeps slope and offset from fighting each
 * other while fitting (scores of one model span a narrow range). The trainer fits it and Solr
 * applies it through this one class.
 *
 * @param queryFingerprint fingerprint of the model that embeds the queries
 * @param documentFingerprint fingerprint of the model that embedded the documents
 * @param map the fitted form
 * @param threshold the relevance threshold chosen on dev, used for {@code minRelevance=default}
 * @param w1 hidden × dimension
 * @param b1 hidden
 * @param w2 {@code map.parameters()} × hidden
 * @param b2 {@code map.parameters()}
 * @param center the map's input shift (see above)
 */
public record CosineAdapter(String queryFingerprint, String documentFingerprint, ScoreMap map,
    double threshold, float[][] w1, float[] b1, float[][] w2, float[] b2, double center) {

  public static final String FILE_NAME = "calibration.json";
  static final String FORMAT = "whetstone-cosine-adapter/1";

  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  /** An adapter without input shift. */
  public CosineAdapter(String queryFingerprint, String documentFingerprint, ScoreMap map,
      double threshold, float[][] w1, float[] b1, float[][] w2, float[] b2) {
    this(queryFingerprint, documentFingerprint, map, threshold, w1, b1, w2, b2, 0);
  }

  public CosineAdapter {
    if (!Double.isFinite(center)) {
      throw new IllegalArgumentException("center must be finite, got " + center);
    }
    if (!(threshold > 0 && threshold < 1)) {
      throw new IllegalArgumentException("threshold must be in (0, 1), got " + threshold);
    }
    if (w1.length == 0 || b1.length != w1.length || w2.length != map.parameters()
        || b2.length != w2.length) {
      throw new IllegalArgumentException("layer shapes do not fit: w1 " + w1.length + " rows, b1 "
          + b1.length + ", w2 " + w2.length + " rows, b2 " + b2.length + " for the "
          + map.label() + " map (" + map.parameters() + " outputs)");
    }
    for (float[] row : w1) {
      if (row.length != w1[0].length) {
        throw new IllegalArgumentException("w1 rows differ in length");
      }
    }
    for (float[] row : w2) {
      if (row.length != w1.length) {
        throw new IllegalArgumentException("w2 rows must have " + w1.length + " values (hidden)");
      }
    }
  }

  /** Length of the query vectors this adapter takes. */
  public int dimension() {
    return w1[0].length;
  }

  /** The map of one query. */
  public QueryScoreMap forQuery(float[] queryVector) {
    if (queryVector.length != dimension()) {
      throw new IllegalArgumentException("query vector has " + queryVector.length
          + " values; the calibration takes " + dimension());
    }
    double[] hidden = new double[w1.length];
    for (int h = 0; h < hidden.length; h++) {
      double sum = b1[h];
      float[] row = w1[h];
      for (int d = 0; d < row.length; d++) {
        sum += row[d] * queryVector[d];
      }
      hidden[h] = Math.max(0, sum);
    }
    double[] out = new double[w2.length];
    for (int o = 0; o < out.length; o++) {
      double sum = b2[o];
      for (int h = 0; h < hidden.length; h++) {
        sum += w2[o][h] * hidden[h];
      }
      out[o] = sum;
    }
    double p = map == ScoreMap.POWER ? softplus(out[2]) : 1;
    double a = softplus(out[0]);
    return new QueryScoreMap(map, a, out[1] - a * center, p);
  }

  /** log(1 + e^x) without overflow; the network's positive outputs. */
  public static double softplus(double x) {
    return x > 30 ? x : Math.log1p(Math.exp(x));
  }

  /**
   * The calibration in a model directory, if any. Refuses one fitted for other towers, naming
   * both, so a retrained model never serves with its predecessor's calibration.
   */
  public static Optional<CosineAdapter> forModel(Path modelDir, ModelManifest manifest)
      throws IOException {
    Path file = modelDir.resolve(FILE_NAME);
    CosineAdapter adapter;
    try {
      adapter = read(file);
    } catch (NoSuchFileException e) {
      return Optional.empty();
    }
    if (!adapter.queryFingerprint.equals(manifest.fingerprint())
        || !adapter.documentFingerprint.equals(manifest.pairedDocumentFingerprint())) {
      throw new IOException(file + " was fitted for query model " + adapter.queryFingerprint
          + " with documents of " + adapter.documentFingerprint + ", but model '"
          + manifest.name() + "' in " + modelDir + " is " + manifest.fingerprint()
          + " with documents of " + manifest.pairedDocumentFingerprint()
          + "; refit it (whetstone calibrate) or delete it");
    }
    if (adapter.dimension() != manifest.dimension()) {
      throw new IOException(file + " takes " + adapter.dimension() + "-d vectors but model '"
          + manifest.name() + "' makes " + manifest.dimension() + "-d ones");
    }
    return Optional.of(adapter);
  }

  /** Reads and validates a calibration file; errors name the file and the field. */
  public static CosineAdapter read(Path file) throws IOException {
    JsonObject json = JsonFields.readObject(file);
    try {
      String format = required(json, "format").getAsString();
      if (!FORMAT.equals(format)) {
        throw new IllegalArgumentException("field 'format' is '" + format + "', expected '"
            + FORMAT + "'");
      }
      return new CosineAdapter(
          required(json, "queryFingerprint").getAsString(),
          required(json, "documentFingerprint").getAsString(),
          ScoreMap.parse(required(json, "map").getAsString()),
          required(json, "threshold").getAsDouble(),
          matrix(json, "w1"), vector(required(json, "b1"), "b1"),
          matrix(json, "w2"), vector(required(json, "b2"), "b2"),
          json.has("center") ? json.get("center").getAsDouble() : 0);
    } catch (RuntimeException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  /** Writes the file whole or not at all (temporary file, then an atomic move). */
  public void write(Path file) throws IOException {
    JsonObject json = new JsonObject();
    json.addProperty("format", FORMAT);
    json.addProperty("queryFingerprint", queryFingerprint);
    json.addProperty("documentFingerprint", documentFingerprint);
    json.addProperty("map", map.label());
    json.addProperty("threshold", threshold);
    json.add("w1", toJson(w1));
    json.add("b1", toJson(b1));
    json.add("w2", toJson(w2));
    json.add("b2", toJson(b2));
    json.addProperty("center", center);
    Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
    try (Writer writer = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
      GSON.toJson(json, writer);
      writer.write('\n');
    }
    Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING,
        StandardCopyOption.ATOMIC_MOVE);
  }

  /** The same adapter with another default threshold. */
  public CosineAdapter withThreshold(double newThreshold) {
    return new CosineAdapter(queryFingerprint, documentFingerprint, map, newThreshold, w1, b1, w2,
        b2, center);
  }

  private static float[][] matrix(JsonObject json, String field) {
    JsonElement value = required(json, field);
    if (!value.isJsonArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be an array of arrays");
    }
    JsonArray rows = value.getAsJsonArray();
    float[][] matrix = new float[rows.size()][];
    for (int r = 0; r < matrix.length; r++) {
      matrix[r] = vector(rows.get(r), field + "[" + r + "]");
    }
    return matrix;
  }

  private static float[] vector(JsonElement value, String field) {
    if (!value.isJsonArray()) {
      throw new IllegalArgumentException("field '" + field + "' must be an array of numbers");
    }
    JsonArray array = value.getAsJsonArray();
    float[] vector = new float[array.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = array.get(i).getAsFloat();
      if (!Float.isFinite(vector[i])) {
        throw new IllegalArgumentException("field '" + field + "' holds a non-finite value at "
            + i);
      }
    }
    return vector;
  }

  private static JsonArray toJson(float[][] matrix) {
    JsonArray rows = new JsonArray();
    for (float[] row : matrix) {
      rows.add(toJson(row));
    }
    return rows;
  }

  private static JsonArray toJson(float[] vector) {
    JsonArray array = new JsonArray();
    for (float v : vector) {
      array.add(v);
    }
    return array;
  }
}
