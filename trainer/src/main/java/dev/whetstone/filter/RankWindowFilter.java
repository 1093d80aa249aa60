package dev.whetstone.filter;

import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.LabeledQuery;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Keeps candidates ranked in [{@code from}, {@code to}] by their source: the top ranks are where
 * unlabeled positives concentrate, so skipping the top k is {@code from = k + 1}. Random
 * negatives (rank 0) have no rank and pass.
 */
public final class RankWindowFilter implements NegativeFilter {
  public static final String RULE = "window";

  private final int from;
  private final int to;

  public RankWindowFilter(int from, int to) {
    if (from < 1 || to < from) {
      throw new IllegalArgumentException("rank window must satisfy 1 <= from <= to, got [" + from
          + ", " + to + "]");
    }
    this.from = from;
    this.to = to;
  }

  @Override
  public String rule() {
    return RULE;
  }

  @Override
  public List<Candidate> apply(LabeledQuery query, String source, List<Candidate> candidates,
      Consumer<Removal> removed) {
    List<Candidate> kept = new ArrayList<>(candidates.size());
    for (Candidate c : candidates) {
      if (c.rank() == 0 || (c.rank() >= from && c.rank() <= to)) {
        kept.add(c);
      } else {
        removed.accept(new Removal(RULE, query.queryId(), query.queryText(), source, c.docId(),
            c.rank(), c.score(), null, Float.NaN, Float.NaN));
      }
    }
    return kept;
  }

  @Override
  public String toString() {
    return "[" + from + ", " + to + "]";
  }
}
