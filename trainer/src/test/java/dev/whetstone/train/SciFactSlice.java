package dev.whetstone.train;

import com.google.gson.JsonObject;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * A small BEIR folder cut from the real SciFact at test time (never stored in the repository):
 * the first train and test queries, their judged documents, and the corpus's first documents as
 * distractors — so a training run in CI takes seconds per phase.
 */
final class SciFactSlice {
  private SciFactSlice() {}

  static Path write(Path target, int trainQueries, int testQueries, int distractors)
      throws IOException {
    BeirDataset scifact =
        BeirDataset.open(Path.of(System.getProperty("whetstone.data")).resolve("scifact"));
    Map<String, String> queries = scifact.queries();
    Map<String, Map<String, Integer>> train = first(scifact.qrels("train"), trainQueries);
    Map<String, Map<String, Integer>> test = first(scifact.qrels("test"), testQueries);
    Set<String> judged = new LinkedHashSet<>();
    train.values().forEach(j -> judged.addAll(j.keySet()));
    test.values().forEach(j -> judged.addAll(j.keySet()));
    List<BeirDocument> corpus = new ArrayList<>();
    List<BeirDocument> all = scifact.corpus();
    for (int i = 0; i < all.size(); i++) {
      BeirDocument doc = all.get(i);
      if (i < distractors || judged.contains(doc.id())) {
        corpus.add(doc);
      }
    }
    Files.createDirectories(target.resolve("qrels"));
    try (Writer out = Files.newBufferedWriter(target.resolve("corpus.jsonl"), StandardCharsets.UTF_8)) {
      for (BeirDocument doc : corpus) {
        JsonObject json = new JsonObject();
        json.addProperty("_id", doc.id());
        json.addProperty("title", doc.title());
        json.addProperty("text", doc.text());
        out.write(json + "\n");
      }
    }
    try (Writer out = Files.newBufferedWriter(target.resolve("queries.jsonl"), StandardCharsets.UTF_8)) {
      Set<String> ids = new LinkedHashSet<>(train.keySet());
      ids.addAll(test.keySet());
      for (String id : ids) {
        JsonObject json = new JsonObject();
        json.addProperty("_id", id);
        json.addProperty("text", queries.get(id));
        out.write(json + "\n");
      }
    }
    writeQrels(target.resolve("qrels").resolve("train.tsv"), train);
    writeQrels(target.resolve("qrels").resolve("test.tsv"), test);
    return target;
  }

  /** A copy of a slice whose dev judgments are its train judgments: selection on seen queries. */
  static Path withTrainAsDev(Path slice, Path target) throws IOException {
    Files.createDirectories(target.resolve("qrels"));
    for (String file : new String[] {"corpus.jsonl", "queries.jsonl", "qrels/train.tsv",
        "qrels/test.tsv"}) {
      Files.copy(slice.resolve(file), target.resolve(file));
    }
    Files.copy(slice.resolve("qrels/train.tsv"), target.resolve("qrels/dev.tsv"));
    return target;
  }

  private static Map<String, Map<String, Integer>> first(Qrels qrels, int limit) {
    Map<String, Map<String, Integer>> kept = new LinkedHashMap<>();
    for (String query : qrels.queryIds()) {
      if (kept.size() == limit) {
        break;
      }
      kept.put(query, qrels.judgments(query));
    }
    return kept;
  }

  private static void writeQrels(Path file, Map<String, Map<String, Integer>> judgments)
      throws IOException {
    StringBuilder tsv = new StringBuilder("query-id\tcorpus-id\tscore\n");
    judgments.forEach((query, docs) -> docs.forEach((doc, score) ->
        tsv.append(query).append('\t').append(doc).append('\t').append(score).append('\n')));
    Files.writeString(file, tsv, StandardCharsets.UTF_8);
  }
}
