package dev.whetstone.data;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads a file of one JSON object per line ({@code .gz} or plain), blank lines skipped. */
public final class JsonLines {
  private JsonLines() {}

  /** Receives each object with its 1-based line number. */
  public interface Visitor {
    void visit(JsonObject object, long line) throws MalformedDataException;
  }

  public static void read(Path file, Visitor visitor) throws IOException {
    try (BufferedReader reader = open(file)) {
      long lineNumber = 0;
      for (String line; (line = reader.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        JsonElement parsed;
        try {
          parsed = JsonParser.parseString(line);
        } catch (RuntimeException e) {
          throw new MalformedDataException(file, lineNumber, "not valid JSON: " + e.getMessage(), e);
        }
        if (!parsed.isJsonObject()) {
          throw new MalformedDataException(file, lineNumber, "expected a JSON object");
        }
        visitor.visit(parsed.getAsJsonObject(), lineNumber);
      }
    }
  }

  /** A string field that must be present; {@code required=false} gives "" when it is absent. */
  public static String string(JsonObject object, String field, boolean required, Path file, long line)
      throws MalformedDataException {
    JsonElement value = object.get(field);
    if (value == null || value.isJsonNull()) {
      if (required) {
        throw new MalformedDataException(file, line, "missing field '" + field + "'");
      }
      return "";
    }
    if (!value.isJsonPrimitive()) {
      throw new MalformedDataException(file, line, "field '" + field + "' is not a string");
    }
    return value.getAsString();
  }

  private static BufferedReader open(Path file) throws IOException {
    InputStream in = Files.newInputStream(file);
    if (file.getFileName().toString().endsWith(".gz")) {
      in = new GZIPInputStream(in, 1 << 16);
    }
    return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8), 1 << 16);
  }
}
