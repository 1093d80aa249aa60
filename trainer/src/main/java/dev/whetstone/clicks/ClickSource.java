package dev.whetstone.clicks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Where {@code whetstone train --clicks SRC} reads its click log from. {@link #parse} knows files
 * and directories; a source that reads UBI from Solr collections would be one more implementation
 * and one more form of SRC.
 */
public interface ClickSource {
  /** In a UBI directory, the queries file: {@value}, or the same name with {@code .gz}. */
  String UBI_QUERIES = "ubi_queries.jsonl";
  /** In a UBI directory, the events file: {@value}, or the same name with {@code .gz}. */
  String UBI_EVENTS = "ubi_events.jsonl";

  ClickLog read() throws IOException;

  /**
   * SRC as given on the command line: a directory holding {@link #UBI_QUERIES} and {@link
   * #UBI_EVENTS} (each plain or {@code .gz}) is UBI with {@link
   * UbiClickLogReader#DEFAULT_CLICK_ACTIONS}; a file is simple impression JSONL.
   */
  static ClickSource parse(String source) throws IOException {
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
