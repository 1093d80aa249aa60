package dev.whetstone.filter;

import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.LabeledQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * NV-Retriever's positive-aware mining (TopK-PercPos) with sentence-transformers' relative margin:
 * a candidate stays a negative only if the scorer rates it at most {@code (1 - relativeMargin)}
 * times the query's positive, since a document that close to a positive is likely an unlabeled
 * one. The boundary is {@code mine_hard_negatives}': a score equal to the bar stays. With several
 * positives the lowest-scored one sets the bar: the negatives of a query serve every one of its
 * (query, positive) pairs.
 */
public final class PositiveAwareMarginFilter implements NegativeFilter {
  public static final String RULE = "margin";

  private final RelevanceScorer scorer;
  private final float relativeMargin;

  /**
   * @param relativeMargin in [0, 1): 0.05 (NV-Retriever's 95%) keeps negatives scoring at most
   *     0.95 x the positive; 0 keeps those scoring at most the positive
   */
  public PositiveAwareMarginFilter(RelevanceScorer scorer, float relativeMargin) {
    if (!(relativeMargin >= 0 && relativeMargin < 1)) {
      throw new IllegalArgumentException("relative margin must be in [0, 1), got " + relativeMargin);
    }
    this.scorer = scorer;
    this.relativeMargin = relativeMargin;
  }

  @Override
  public String rule() {
    return RULE;
  }

  @Override
  public List<Candidate> apply(LabeledQuery query, String source, List<Candidate> candidates,
      Consumer<Removal> removed) {
    if (query.positiveIds().isEmpty()) {
      return candidates;
    }
    float positive = Float.POSITIVE_INFINITY;
    for (String id : query.positiveIds()) {
      positive = Math.min(positive, scorer.score(query.queryText(), id));
    }
    // sentence-transformers' bar for a positive score; for a negative one, (1 - margin) x positive
    // would lie above the positive, so the bar lies as far below it
    float bar = positive * (positive >= 0 ? 1 - relativeMargin : 1 + relativeMargin);
    List<Candidate> kept = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      float score = scorer.score(query.queryText(), c.docId());
      if (score > bar) {
        removed.accept(new Removal(RULE, query.queryId(), query.queryText(), source, c.docId(),
            c.rank(), c.score(), scorer.name(), score, positive));
      } else {
        kept.add(c);
      }
    }
    return kept;
  }

  @Override
  public String toString() {
    return "relative margin " + relativeMargin + " (" + scorer.name() + ")";
  }
}
