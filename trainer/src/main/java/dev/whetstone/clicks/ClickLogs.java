package dev.whetstone.clicks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import dev.whetstone.data.JsonLines;
import dev.whetstone.data.MalformedDataException;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Reads a click log named on the command line ({@code --clicks SRC}) into impressions. */
public final class ClickLogs {
  private ClickLogs() {}

  public static List<Impression> read(String source, PrintStream out) throws IOException {
    Path file = Path.of(source);
    List<Impression> impressions = new ArrayList<>();
    JsonLines.read(file, (line, number) -> impressions.add(impression(line, file, number)));
    long clicks = impressions.stream().mapToLong(i -> i.clicks().size()).sum();
    out.printf("Clicks: %s: %d impressions, %d clicks%n", file, impressions.size(), clicks);
    return impressions;
  }

  private static Impression impression(JsonObject line, Path file, long number)
      throws MalformedDataException {
    String query = JsonLines.string(line, "query", true, file, number);
    String id = JsonLines.string(line, "query_id", false, file, number);
    List<String> shown = new ArrayList<>();
    for (JsonElement doc : array(line, "shown", file, number)) {
      shown.add(doc.getAsString());
    }
    List<Impression.Click> clicks = new ArrayList<>();
    for (JsonElement element : array(line, "clicks", file, number)) {
      JsonObject click = element.getAsJsonObject();
      String doc = JsonLines.string(click, "id", true, file, number);
      int position = click.get("position").getAsInt();
      double dwell = click.has("dwell") ? click.get("dwell").getAsDouble() : Double.NaN;
      clicks.add(new Impression.Click(doc, position, dwell));
    }
    return new Impression(id.isEmpty() ? file.getFileName() + ":" + number : id, query, shown,
        clicks);
  }

  private static JsonArray array(JsonObject line, String field, Path file, long number)
      throws MalformedDataException {
    JsonElement value = line.get(field);
    if (value == null || !value.isJsonArray()) {
      throw new MalformedDataException(file, number, "field '" + field + "' is not a list");
    }
    return value.getAsJsonArray();
  }
}
