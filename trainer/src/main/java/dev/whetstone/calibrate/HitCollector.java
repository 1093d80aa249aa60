package dev.whetstone.calibrate;

import dev.whetstone.data.Qrels;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.LabeledQuery;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Labels each judged query's top kNN hits for calibration. For fitting, an unjudged hit is a
 * negative only if the false-negative rules keep it (an unjudged top-ranked document may be an
 * unlabeled positive, so it is left out rather than taught as irrelevant); hits judged 0 are
 * certain negatives. For measuring, every unjudged hit counts as not relevant, as IR evaluation
 * does.
 */
public final class HitCollector {
  private final DenseIndex index;
  private final int depth;

  public HitCollector(DenseIndex index, int depth) {
    if (depth <= 0) {
      throw new IllegalArgumentException("depth must be > 0, got " + depth);
    }
    this.index = index;
    this.depth = depth;
  }

  /**
   * @param vectors query id → the query's vector
   * @param texts query id → text (for the rules)
   * @param rules the false-negative rules, or null to keep every unjudged hit as a negative
   */
  public List<LabeledHits> collect(Qrels qrels, Map<String, float[]> vectors,
      Map<String, String> texts, FilterChain rules) {
    List<LabeledHits> all = new ArrayList<>();
    for (LabeledQuery query : LabeledQuery.judged(qrels, texts)) {
      float[] vector = vectors.get(query.queryId());
      if (vector == null) {
        throw new IllegalArgumentException("query '" + query.queryId() + "' has no vector");
      }
      Map<String, Integer> judged = qrels.judgments(query.queryId());
      List<Candidate> hits = index.search(vector, depth);
      Set<String> dropped = new HashSet<>();
      if (rules != null) {
        List<Candidate> unjudged = hits.stream().filter(c -> !judged.containsKey(c.docId())).toList();
        Set<String> kept = new HashSet<>();
        rules.apply(query, "dense", unjudged).forEach(c -> kept.add(c.docId()));
        unjudged.stream().map(Candidate::docId).filter(id -> !kept.contains(id)).forEach(dropped::add);
      }
      List<Candidate> labeled = hits.stream().filter(c -> !dropped.contains(c.docId())).toList();
      float[] scores = new float[labeled.size()];
      boolean[] relevant = new boolean[labeled.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = LabeledHits.luceneScore(labeled.get(i).score());
        relevant[i] = judged.getOrDefault(labeled.get(i).docId(), 0) > 0;
      }
      all.add(new LabeledHits(query.queryId(), vector, scores, relevant,
          query.positiveIds().size()));
    }
    return all;
  }

  /** Hits of queries no document is judged for (another data set's queries): all irrelevant. */
  public List<LabeledHits> offTopic(Map<String, float[]> vectors) {
    List<LabeledHits> all = new ArrayList<>();
    vectors.forEach((id, vector) -> {
      List<Candidate> hits = index.search(vector, depth);
      float[] scores = new float[hits.size()];
      for (int i = 0; i < scores.length; i++) {
        scores[i] = LabeledHits.luceneScore(hits.get(i).score());
      }
      all.add(new LabeledHits(id, vector, scores, new boolean[scores.length], 0));
    });
    return all;
  }
}
