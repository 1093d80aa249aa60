package dev.whetstone.model;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Reading the small JSON files a model directory holds, with errors that name file and field. */
public final class JsonFields {
  private JsonFields() {}

  /** The JSON object in {@code file}; an error naming the file when it holds anything else. */
  public static JsonObject readObject(Path file) throws IOException {
    try (Reader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      JsonElement parsed = JsonParser.parseReader(reader);
      if (!parsed.isJsonObject()) {
        throw new IOException(file + ": expected a JSON object");
      }
      return parsed.getAsJsonObject();
    } catch (RuntimeException e) {
      throw new IOException(file + ": not valid JSON: " + e.getMessage(), e);
    }
  }

  /** The value of {@code field}; an {@link IllegalArgumentException} naming it when absent. */
  public static JsonElement required(JsonObject json, String field) {
    JsonElement value = json.get(field);
    if (value == null || value.isJsonNull()) {
      throw new IllegalArgumentException("missing required field '" + field + "'");
    }
    return value;
  }

  /** The string value of {@code field}, or null when absent. */
  public static String optionalString(JsonObject json, String field) {
    JsonElement value = json.get(field);
    return value == null || value.isJsonNull() ? null : value.getAsString();
  }
}
