package dev.whetstone.filter;

import dev.whetstone.mine.Candidate;
import dev.whetstone.mine.LabeledQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * NV-Retriever's positive-aware mining (TopK-PercPos): drops a candidate the scorer rates at least
 * {@code ratio} times the query's positive, since a document that close to a positive is likely an
 * unlabeled one. With several positives the lowest-scored one sets the bar: the negatives of a
 * query serve every one of its (query, positive) pairs.
 */
public final class PositiveAwareMarginFilter implements NegativeFilter {
  public static final String RULE = "margin";

  private final RelevanceScorer scorer;
  private final float ratio;

  /** @param ratio in (0, 1]; NV-Retriever's default is 0.95 */
  public PositiveAwareMarginFilter(RelevanceScorer scorer, float ratio) {
    if (!(ratio > 0 && ratio <= 1)) {
      throw new IllegalArgumentException("margin ratio must be in (0, 1], got " + ratio);
    }
    this.scorer = scorer;
    this.ratio = ratio;
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
    // ratio x positive for a positive score; as far below it for a negative one
    float threshold = positive - (1 - ratio) * Math.abs(positive);
    List<Candidate> kept = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      float score = scorer.score(query.queryText(), c.docId());
      if (score >= threshold) {
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
    return "score >= " + ratio + " x positive (" + scorer.name() + ")";
  }
}
