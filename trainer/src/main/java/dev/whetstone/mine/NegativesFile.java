package dev.whetstone.mine;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.whetstone.data.JsonLines;
import dev.whetstone.data.MalformedDataException;
import dev.whetstone.retrieval.Candidate;
import java.io.BufferedWriter;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Mined negatives as JSON lines: {@code {"query_id", "query", "positives": [ids], "negatives":
 * [{"id", "rank", "score"}]}}, one query per line.
 */
public final class NegativesFile {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private NegativesFile() {}

  public static void write(Path file, List<MinedQuery> mined) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    try (BufferedWriter out = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
      for (MinedQuery query : mined) {
        JsonObject json = new JsonObject();
        json.addProperty("query_id", query.queryId());
        json.addProperty("query", query.queryText());
        JsonArray positives = new JsonArray();
        query.positiveIds().forEach(positives::add);
        json.add("positives", positives);
        JsonArray negatives = new JsonArray();
        for (Candidate c : query.negatives()) {
          JsonObject negative = new JsonObject();
          negative.addProperty("id", c.docId());
          negative.addProperty("rank", c.rank());
          negative.addProperty("score", c.score());
          negatives.add(negative);
        }
        json.add("negatives", negatives);
        out.write(GSON.toJson(json));
        out.newLine();
      }
    }
  }

  /** Reads a file {@link #write} wrote; a malformed line fails naming the file, line and field. */
  public static List<MinedQuery> read(Path file) throws IOException {
    List<MinedQuery> mined = new ArrayList<>();
    JsonLines.read(file, (json, line) -> {
      List<String> positives = new ArrayList<>();
      for (JsonElement id : array(json, "positives", file, line)) {
        positives.add(text(id, "positives", file, line));
      }
      List<Candidate> negatives = new ArrayList<>();
      for (JsonElement element : array(json, "negatives", file, line)) {
        if (!element.isJsonObject()) {
          throw new MalformedDataException(file, line, "an entry of 'negatives' is not an object");
        }
        JsonObject negative = element.getAsJsonObject();
        negatives.add(new Candidate(JsonLines.string(negative, "id", true, file, line),
            (int) number(negative, "rank", file, line), (float) number(negative, "score", file, line)));
      }
      mined.add(new MinedQuery(JsonLines.string(json, "query_id", true, file, line),
          JsonLines.string(json, "query", true, file, line), positives, negatives));
    });
    return mined;
  }

  private static JsonArray array(JsonObject json, String field, Path file, long line)
      throws MalformedDataException {
    JsonElement value = json.get(field);
    if (value == null || !value.isJsonArray()) {
      throw new MalformedDataException(file, line, "field '" + field + "' is missing or not an array");
    }
    return value.getAsJsonArray();
  }

  private static String text(JsonElement value, String field, Path file, long line)
      throws MalformedDataException {
    if (!value.isJsonPrimitive()) {
      throw new MalformedDataException(file, line, "an entry of '" + field + "' is not a string");
    }
    return value.getAsString();
  }

  private static double number(JsonObject json, String field, Path file, long line)
      throws MalformedDataException {
    JsonElement value = json.get(field);
    try {
      if (value != null && value.isJsonPrimitive()) {
        return value.getAsDouble();
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new MalformedDataException(file, line, "field '" + field + "' of a negative is not a number");
  }
}
