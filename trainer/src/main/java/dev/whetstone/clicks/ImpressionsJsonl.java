package dev.whetstone.clicks;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStream;
import java.io.OutputStreamWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.GZIPOutputStream;

/**
 * Writes impressions as the simple impressions JSONL that {@code whetstone train --clicks} reads:
 * {@code {"query_id":…,"query":…,"shown":[…],"clicks":[{"id":…,"position":…,"dwell":…}]}}, one per
 * line ({@code .gz}: compressed), written to a temporary file first so a failed run leaves none.
 */
public final class ImpressionsJsonl {
  private ImpressionsJsonl() {}

  public static void write(Path file, List<Impression> impressions) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    Path partial = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
    try {
      OutputStream out = Files.newOutputStream(partial);
      if (file.getFileName().toString().endsWith(".gz")) {
        out = new GZIPOutputStream(out, 1 << 16);
      }
      try (BufferedWriter writer = new BufferedWriter(
          new OutputStreamWriter(out, StandardCharsets.UTF_8), 1 << 16)) {
        for (Impression impression : impressions) {
          writer.write(json(impression).toString());
          writer.newLine();
        }
      }
      Files.move(partial, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } finally {
      Files.deleteIfExists(partial);
    }
  }

  private static JsonObject json(Impression impression) {
    JsonObject line = new JsonObject();
    line.addProperty("query_id", impression.queryId());
    line.addProperty("query", impression.queryText());
    JsonArray shown = new JsonArray();
    impression.shown().forEach(shown::add);
    line.add("shown", shown);
    JsonArray clicks = new JsonArray();
    for (Impression.Click click : impression.clicks()) {
      JsonObject c = new JsonObject();
      c.addProperty("id", click.docId());
      c.addProperty("position", click.position());
      if (!Double.isNaN(click.dwellSeconds())) {
        c.addProperty("dwell", click.dwellSeconds());
      }
      clicks.add(c);
    }
    line.add("clicks", clicks);
    return line;
  }
}
