package dev.whetstone.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A data set folder in BEIR layout: {@code corpus.jsonl} (or {@code corpus.jsonl.gz}), {@code
 * queries.jsonl} and {@code qrels/<split>.tsv}.
 */
public final class BeirDataset {
  private final Path dir;

  private BeirDataset(Path dir) {
    this.dir = dir;
  }

  /** Opens a folder; fails naming the folder when it has no corpus or queries file. */
  public static BeirDataset open(Path dir) throws IOException {
    BeirDataset dataset = new BeirDataset(dir);
    dataset.corpusFile();
    if (!Files.isRegularFile(dataset.queriesFile())) {
      throw new NoSuchFileException(dataset.queriesFile().toString(), null,
          "not a BEIR data set folder: no queries.jsonl");
    }
    return dataset;
  }

  public Path dir() {
    return dir;
  }

  /** The data set's name: its folder name, e.g. {@code scifact}. */
  public String name() {
    return dir.toAbsolutePath().normalize().getFileName().toString();
  }

  public Path corpusFile() throws NoSuchFileException {
    for (String name : new String[] {"corpus.jsonl", "corpus.jsonl.gz"}) {
      Path file = dir.resolve(name);
      if (Files.isRegularFile(file)) {
        return file;
      }
    }
    throw new NoSuchFileException(dir.resolve("corpus.jsonl").toString(), null,
        "not a BEIR data set folder: no corpus.jsonl or corpus.jsonl.gz");
  }

  public Path queriesFile() {
    return dir.resolve("queries.jsonl");
  }

  public Path qrelsFile(String split) {
    return dir.resolve("qrels").resolve(split + ".tsv");
  }

  /** All documents in file order; ids must be unique. */
  public List<BeirDocument> corpus() throws IOException {
    Path file = corpusFile();
    List<BeirDocument> docs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    JsonLines.read(file, (json, line) -> {
      String id = JsonLines.string(json, "_id", true, file, line);
      if (!seen.add(id)) {
        throw new MalformedDataException(file, line, "duplicate _id '" + id + "'");
      }
      docs.add(new BeirDocument(id,
          JsonLines.string(json, "title", false, file, line),
          JsonLines.string(json, "text", true, file, line)));
    });
    return docs;
  }

  /** Query id → query text, in file order. */
  public Map<String, String> queries() throws IOException {
    Path file = queriesFile();
    Map<String, String> queries = new LinkedHashMap<>();
    JsonLines.read(file, (json, line) -> {
      String id = JsonLines.string(json, "_id", true, file, line);
      if (queries.put(id, JsonLines.string(json, "text", true, file, line)) != null) {
        throw new MalformedDataException(file, line, "duplicate _id '" + id + "'");
      }
    });
    return queries;
  }

  /** Judgments of a split, e.g. {@code test}. */
  public Qrels qrels(String split) throws IOException {
    Path file = qrelsFile(split);
    if (!Files.isRegularFile(file)) {
      throw new NoSuchFileException(file.toString(), null, "no qrels for split '" + split + "'");
    }
    return Qrels.read(file);
  }
}
