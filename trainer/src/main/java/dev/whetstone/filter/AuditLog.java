package dev.whetstone.filter;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonObject;
import java.io.BufferedWriter;
import java.io.IOException;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Consumer;
import java.util.zip.GZIPOutputStream;

/**
 * Where the false-negative rules' removals go, each as one JSON line (unknown scores left out).
 * Counts per rule are always exact. {@link Mode#SAMPLE} (the default) keeps a uniform sample of
 * at most {@link #SAMPLE_PER_RULE} removals per rule and writes it gzip-compressed when the log
 * closes; {@link Mode#FULL} writes every removal as it comes. Every removal is too many at scale:
 * a query-tower run on 2.6k queries masked 2.3 M in-batch pairs, a 486 MB file.
 */
public abstract class AuditLog implements Consumer<Removal>, AutoCloseable {
  /** Removals kept per rule in {@link Mode#SAMPLE}. */
  public static final int SAMPLE_PER_RULE = 1000;
  private static final Gson GSON = new GsonBuilder().disableHtmlEscaping().create();

  /** What the audit file holds. */
  public enum Mode {
    /** Counts per rule, then a bounded sample of each rule's removals; gzip. */
    SAMPLE("audit.jsonl.gz"),
    /** Every removal, one line each. */
    FULL("audit.jsonl");

    private final String defaultFile;

    Mode(String defaultFile) {
      this.defaultFile = defaultFile;
    }

    /** The audit file's name when none is given. */
    public String defaultFile() {
      return defaultFile;
    }

    public static Mode parse(String value) {
      for (Mode mode : values()) {
        if (mode.name().equalsIgnoreCase(value.trim())) {
          return mode;
        }
      }
      throw new IllegalArgumentException("--audit-mode takes sample or full, got '" + value + "'");
    }
  }

  private final Path file;
  private final Map<String, Long> counts = new LinkedHashMap<>();

  private AuditLog(Path file) {
    this.file = file;
  }

  /** Creates (or truncates) the file. */
  public static AuditLog create(Path file, Mode mode) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    return mode == Mode.FULL ? new Full(file) : new Sampled(file, SAMPLE_PER_RULE);
  }

  @Override
  public final synchronized void accept(Removal removal) {
    long seen = counts.merge(removal.rule(), 1L, Long::sum);
    record(removal, seen);
  }

  /**
   * @param seen how many removals of its rule there have been, this one included
   */
  abstract void record(Removal removal, long seen);

  /** Removals so far per rule, in the order the rules first removed something. */
  public final synchronized Map<String, Long> counts() {
    return new LinkedHashMap<>(counts);
  }

  public final Path file() {
    return file;
  }

  @Override
  public abstract void close() throws IOException;

  static String json(Removal removal) {
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
    return GSON.toJson(json);
  }

  private static Float finite(float value) {
    return Float.isNaN(value) ? null : value;
  }

  private static void write(Writer writer, String line, Path file) {
    try {
      writer.write(line);
      writer.write('\n');
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write the audit file " + file, e);
    }
  }

  /** Every removal, written as it comes. */
  private static final class Full extends AuditLog {
    private final BufferedWriter writer;

    Full(Path file) throws IOException {
      super(file);
      writer = Files.newBufferedWriter(file, StandardCharsets.UTF_8);
    }

    @Override
    void record(Removal removal, long seen) {
      write(writer, json(removal), file());
    }

    @Override
    public synchronized void close() throws IOException {
      writer.close();
    }
  }

  /**
   * Reservoir sampling per rule (Algorithm R): the n-th removal of a rule replaces a kept one with
   * probability cap / n, so each is kept with the same chance whatever the count. Seeded: the
   * same removals in the same order give the same sample.
   */
  private static final class Sampled extends AuditLog {
    private record Kept(long seen, Removal removal) {}

    private final int cap;
    private final Random random = new Random(42);
    private final Map<String, List<Kept>> samples = new LinkedHashMap<>();

    Sampled(Path file, int cap) throws IOException {
      super(file);
      this.cap = cap;
      Files.newOutputStream(file).close(); // fails now, not at the end, on an unwritable path
    }

    @Override
    void record(Removal removal, long seen) {
      List<Kept> sample = samples.computeIfAbsent(removal.rule(), rule -> new ArrayList<>());
      if (sample.size() < cap) {
        sample.add(new Kept(seen, removal));
      } else {
        long slot = (long) (random.nextDouble() * seen);
        if (slot < cap) {
          sample.set((int) slot, new Kept(seen, removal));
        }
      }
    }

    /** A header line with the exact counts, then each rule's sample in the order removed. */
    @Override
    public synchronized void close() throws IOException {
      Map<String, Long> counts = counts();
      JsonObject header = new JsonObject();
      header.addProperty("audit", Mode.SAMPLE.name().toLowerCase(Locale.ROOT));
      header.addProperty("sample_per_rule", cap);
      JsonObject perRule = new JsonObject();
      counts.forEach(perRule::addProperty);
      header.add("counts", perRule);
      try (Writer writer = new BufferedWriter(new OutputStreamWriter(
          new GZIPOutputStream(Files.newOutputStream(file())), StandardCharsets.UTF_8))) {
        write(writer, GSON.toJson(header), file());
        for (List<Kept> sample : samples.values()) {
          sample.sort(Comparator.comparingLong(Kept::seen));
          for (Kept kept : sample) {
            write(writer, json(kept.removal()), file());
          }
        }
      }
    }
  }
}
