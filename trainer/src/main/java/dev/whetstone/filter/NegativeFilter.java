package dev.whetstone.filter;

import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.LabeledQuery;
import java.util.List;
import java.util.function.Consumer;

/** A false-negative rule: drops candidates that may be unlabeled positives. */
public interface NegativeFilter {
  /** The rule's name in counts and audit records. */
  String rule();

  /**
   * The candidates of one source that stay negatives, in order; each dropped one is reported to
   * {@code removed}. The query's labeled positives are already excluded.
   */
  List<Candidate> apply(LabeledQuery query, String source, List<Candidate> candidates,
      Consumer<Removal> removed);
}
