package dev.whetstone.filter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.function.Consumer;

/** Writes each {@link Removal} as one JSON line; unknown scores are written as null. */
public final class AuditLog implements Consumer<Removal>, AutoCloseable {
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  private final Path file;
  private final BufferedWriter writer;
  private long lines;

  private AuditLog(Path file, BufferedWriter writer) {
    this.file = file;
    this.writer = writer;
  }

  /** Creates (or truncates) the file. */
  public static AuditLog create(Path file) throws IOException {
    Path parent = file.toAbsolutePath().getParent();
    Files.createDirectories(parent);
    return new AuditLog(file, Files.newBufferedWriter(file, StandardCharsets.UTF_8));
  }

  @Override
  public synchronized void accept(Removal removal) {
    JsonObject json = new JsonObject();
    json.addProperty("rule", removal.rule());
    json.addProperty("query_id", removal.queryId());
    json.addProperty("query", removal.queryText());
    json.addProperty("source", removal.source());
    json.addProperty("doc_id", removal.docId());
    json.addProperty("rank", removal.rank());
    json.addProperty("source_score", finite(removal.sourceScore()));
    json.addProperty("scorer", removal.scorer());
    json.addProperty("score", finite(removal.score()));
    json.addProperty("positive_score", finite(removal.positiveScore()));
    try {
      writer.write(GSON.toJson(json));
      writer.newLine();
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit file " + file, e);
    }
    lines++;
  }

  /** Records written so far. */
  public synchronized long lines() {
    return lines;
  }

  public Path file() {
    return file;
  }

  private static Float finite(float value) {
    return Float.isNaN(value) ? null : value;
  }

  @Override
  public synchronized void close() throws IOException {
    writer.close();
  }
}
