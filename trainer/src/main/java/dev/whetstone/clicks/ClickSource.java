package dev.whetstone.clicks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;
import org.apache.solr.client.solrj.impl.CloudSolrClient;

/**
 * Where {@code whetstone train --clicks SRC} reads its click log from: a file, a directory, or a
 * SolrCloud's UBI collections (see {@link #parse}).
 */
public interface ClickSource {
  /** In a UBI directory, the queries file: {@value}, or the same name with {@code .gz}. */
  String UBI_QUERIES = "ubi_queries.jsonl";
  /** In a UBI directory, the events file: {@value}, or the same name with {@code .gz}. */
  String UBI_EVENTS = "ubi_events.jsonl";
  /** In SolrCloud, the default queries collection: {@value}, as docs/clicks.md creates it. */
  String UBI_QUERIES_COLLECTION = "ubi_queries";
  /** In SolrCloud, the default events collection: {@value}. */
  String UBI_EVENTS_COLLECTION = "ubi_events";

  ClickLog read() throws IOException;

  /** {@link #parse(String, String, String)} with the default collection names. */
  static ClickSource parse(String source) throws IOException {
    return parse(source, UBI_QUERIES_COLLECTION, UBI_EVENTS_COLLECTION);
  }

  /**
   * SRC as given on the command line: a Solr base URL ({@code http://} or {@code https://}, e.g.
   * {@code http://localhost:8983/solr}) is UBI in the SolrCloud collections {@code
   * queriesCollection} and {@code eventsCollection}; a directory holding {@link #UBI_QUERIES} and
   * {@link #UBI_EVENTS} (each plain or {@code .gz}) is UBI in files; both with {@link
   * UbiClickLogReader#DEFAULT_CLICK_ACTIONS}. A file is simple impression JSONL.
   */
  static ClickSource parse(String source, String queriesCollection, String eventsCollection)
      throws IOException {
    if (source.matches("(?i)https?://.+")) {
      return new UbiCollections(source.replaceAll("/+$", ""), queriesCollection, eventsCollection,
          UbiClickLogReader.DEFAULT_CLICK_ACTIONS);
    }
    Path path = Path.of(source);
    if (Files.isDirectory(path)) {
      return new UbiFiles(UbiFiles.find(path, UBI_QUERIES), UbiFiles.find(path, UBI_EVENTS),
          UbiClickLogReader.DEFAULT_CLICK_ACTIONS);
    }
    if (Files.isRegularFile(path)) {
      return new SimpleImpressionFile(path);
    }
    throw new NoSuchFileException(source, null,
        "no click log: expected a simple impression JSONL file or a directory with "
            + UBI_QUERIES + " and " + UBI_EVENTS);
  }

  /** A simple impression JSONL file, see {@link SimpleImpressionReader}. */
  record SimpleImpressionFile(Path file) implements ClickSource {
    @Override
    public ClickLog read() throws IOException {
      return new SimpleImpressionReader().read(file);
    }
  }

  /**
   * The UBI queries and events collections of the SolrCloud at {@code solrUrl}, in the flat shape
   * of conf-examples/ubi; see {@link UbiCollectionRecords}.
   */
  record UbiCollections(String solrUrl, String queries, String events, Set<String> clickActions)
      implements ClickSource {
    public UbiCollections {
      clickActions = Set.copyOf(clickActions);
    }

    @Override
    public ClickLog read() throws IOException {
      try (CloudSolrClient client = UbiCollectionRecords.connect(solrUrl)) {
        return new UbiClickLogReader(clickActions).read(
            UbiCollectionRecords.queries(client, solrUrl, queries),
            UbiCollectionRecords.events(client, solrUrl, events));
      }
    }
  }

  /** A UBI queries file and events file, see {@link UbiClickLogReader}. */
  record UbiFiles(Path queries, Path events, Set<String> clickActions) implements ClickSource {
    public UbiFiles {
      clickActions = Set.copyOf(clickActions);
    }

    @Override
    public ClickLog read() throws IOException {
      return new UbiClickLogReader(clickActions).read(queries, events);
    }

    /** {@code name} or {@code name.gz} in {@code dir}; having both is ambiguous, so refused. */
    static Path find(Path dir, String name) throws IOException {
      Path plain = dir.resolve(name);
      Path gzipped = dir.resolve(name + ".gz");
      boolean hasPlain = Files.isRegularFile(plain);
      boolean hasGzipped = Files.isRegularFile(gzipped);
      if (hasPlain && hasGzipped) {
        throw new IOException(dir + " holds both " + name + " and " + name + ".gz; keep one");
      }
      if (!hasPlain && !hasGzipped) {
        throw new NoSuchFileException(plain.toString(), null,
            "a UBI click log directory needs " + name + " or " + name + ".gz");
      }
      return hasPlain ? plain : gzipped;
    }
  }
}
