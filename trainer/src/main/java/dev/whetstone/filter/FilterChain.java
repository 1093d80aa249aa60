package dev.whetstone.filter;

import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.LabeledQuery;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

/**
 * The enabled false-negative rules, applied in order to each source's candidates. Counts removals
 * per rule and hands each one, with the audit scorer's scores filled in where the rule had none,
 * to a sink (an {@link AuditLog}, or a counter in experiments).
 */
public final class FilterChain {
  private final List<NegativeFilter> filters;
  private final RelevanceScorer auditScorer;
  private final Consumer<Removal> sink;
  private final Map<String, Long> counts = new LinkedHashMap<>();

  /**
   * @param auditScorer scores removals whose rule did not (e.g. the rank window); null for none
   * @param sink receives every removal; null to only count
   */
  public FilterChain(List<NegativeFilter> filters, RelevanceScorer auditScorer,
      Consumer<Removal> sink) {
    this.filters = List.copyOf(filters);
    this.auditScorer = auditScorer;
    this.sink = sink == null ? removal -> {} : sink;
    for (NegativeFilter filter : filters) {
      if (counts.put(filter.rule(), 0L) != null) {
        throw new IllegalArgumentException("rule '" + filter.rule() + "' is in the chain twice");
      }
    }
  }

  /** No rules: every candidate stays. */
  public static FilterChain none() {
    return new FilterChain(List.of(), null, null);
  }

  public List<NegativeFilter> filters() {
    return filters;
  }

  public synchronized List<Candidate> apply(LabeledQuery query, String source,
      List<Candidate> candidates) {
    List<Candidate> kept = candidates;
    for (NegativeFilter filter : filters) {
      kept = filter.apply(query, source, kept, removal -> record(query, removal));
    }
    return kept;
  }

  private void record(LabeledQuery query, Removal removal) {
    counts.merge(removal.rule(), 1L, Long::sum);
    if (auditScorer != null && Float.isNaN(removal.score())) {
      // the lowest-scored positive, as the margin rule compares against
      float positive = Float.NaN;
      for (String id : query.positiveIds()) {
        float score = auditScorer.score(query.queryText(), id);
        positive = Float.isNaN(positive) ? score : Math.min(positive, score);
      }
      removal = removal.withScores(auditScorer.name(),
          auditScorer.score(removal.queryText(), removal.docId()), positive);
    }
    sink.accept(removal);
  }

  /** Removals per rule so far, in chain order (0 for a rule that removed nothing). */
  public synchronized Map<String, Long> counts() {
    return new LinkedHashMap<>(counts);
  }
}
