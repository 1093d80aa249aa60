package dev.whetstone.data;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Relevance judgments: query id → (document id → graded relevance). */
public final class Qrels {
  private final Map<String, Map<String, Integer>> judgments;

  public Qrels(Map<String, Map<String, Integer>> judgments) {
    Map<String, Map<String, Integer>> copy = new LinkedHashMap<>();
    judgments.forEach((q, docs) -> copy.put(q, Collections.unmodifiableMap(new LinkedHashMap<>(docs))));
    this.judgments = Collections.unmodifiableMap(copy);
  }

  /**
   * Reads a BEIR qrels file: a header line, then {@code query-id TAB corpus-id TAB score}. Lines
   * may end in CRLF (the SciFact files do).
   */
  public static Qrels read(Path file) throws IOException {
    Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
    try (BufferedReader reader = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
      String header = reader.readLine();
      if (header == null || !header.trim().startsWith("query-id")) {
        throw new MalformedDataException(file, 1,
            "expected the header 'query-id<TAB>corpus-id<TAB>score', got " + quote(header));
      }
      long lineNumber = 1;
      for (String line; (line = reader.readLine()) != null; ) {
        lineNumber++;
        if (line.isBlank()) {
          continue;
        }
        String[] fields = line.split("\t");
        if (fields.length != 3) {
          throw new MalformedDataException(file, lineNumber,
              "expected 3 tab-separated fields, got " + fields.length + " in " + quote(line));
        }
        String query = fields[0].trim();
        String doc = fields[1].trim();
        int score;
        try {
          score = Integer.parseInt(fields[2].trim());
        } catch (NumberFormatException e) {
          throw new MalformedDataException(file, lineNumber,
              "score is not an integer: " + quote(fields[2].trim()));
        }
        if (query.isEmpty() || doc.isEmpty()) {
          throw new MalformedDataException(file, lineNumber, "empty query-id or corpus-id");
        }
        judgments.computeIfAbsent(query, k -> new LinkedHashMap<>()).put(doc, score);
      }
    }
    return new Qrels(judgments);
  }

  /** Queries with at least one judgment, in file order. */
  public Set<String> queryIds() {
    return judgments.keySet();
  }

  /** The judgments of a query; empty when it has none. */
  public Map<String, Integer> judgments(String queryId) {
    return judgments.getOrDefault(queryId, Map.of());
  }

  public int size() {
    return judgments.values().stream().mapToInt(Map::size).sum();
  }

  private static String quote(String s) {
    return s == null ? "end of file" : "'" + s + "'";
  }
}
