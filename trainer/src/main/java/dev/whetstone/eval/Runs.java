package dev.whetstone.eval;

import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.NonFiniteVectorException;
import dev.whetstone.search.ReciprocalRankFusion;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Runs (query id → candidates, best first) of the retrievers the trainer compares. */
public final class Runs {
  public static final int DEPTH = 100;

  private Runs() {}

  public static Map<String, List<Candidate>> dense(DenseIndex index, Map<String, float[]> queries) {
    Map<String, List<Candidate>> run = new LinkedHashMap<>();
    queries.forEach((id, vector) -> run.put(id, index.search(
        NonFiniteVectorException.check(vector, "the vector of query '" + id + "'"), DEPTH)));
    return run;
  }

  public static Map<String, List<Candidate>> lexical(CandidateSource source,
      Map<String, String> queries) throws IOException {
    Map<String, List<Candidate>> run = new LinkedHashMap<>();
    for (Map.Entry<String, String> query : queries.entrySet()) {
      run.put(query.getKey(), source.candidates(query.getValue(), DEPTH));
    }
    return run;
  }

  /** Reciprocal rank fusion (k = 60, ties share a rank), as the {@code {!hybrid}} default. */
  public static Map<String, List<String>> fuse(Map<String, List<Candidate>> first,
      Map<String, List<Candidate>> second) {
    ReciprocalRankFusion fusion = new ReciprocalRankFusion(ReciprocalRankFusion.DEFAULT_K);
    Map<String, List<String>> fused = new LinkedHashMap<>();
    for (String query : first.keySet()) {
      Map<String, Double> scores = new HashMap<>();
      for (List<Candidate> side : List.of(first.get(query), second.getOrDefault(query, List.of()))) {
        float[] ranked = new float[side.size()];
        for (int i = 0; i < ranked.length; i++) {
          ranked[i] = side.get(i).score();
        }
        double[] contributions = fusion.contributions(ranked);
        for (int i = 0; i < ranked.length; i++) {
          scores.merge(side.get(i).docId(), contributions[i], Double::sum);
        }
      }
      List<String> ids = new ArrayList<>(scores.keySet());
      ids.sort((a, b) -> Double.compare(scores.get(b), scores.get(a)));
      fused.put(query, ids.subList(0, Math.min(DEPTH, ids.size())));
    }
    return fused;
  }

  /** The document ids of a run. */
  public static Map<String, List<String>> ids(Map<String, List<Candidate>> run) {
    Map<String, List<String>> ids = new LinkedHashMap<>();
    run.forEach((query, candidates) ->
        ids.put(query, candidates.stream().map(Candidate::docId).toList()));
    return ids;
  }
}
