package dev.whetstone.filter;

/**
 * One candidate a false-negative rule kept from being a negative, with the evidence.
 *
 * @param rule the rule that removed it, e.g. {@code window}, {@code margin}
 * @param source the candidate source ({@code bm25}, {@code dense}) or {@code batch} for in-batch
 * @param rank the candidate's rank in its source (in-batch: its column)
 * @param sourceScore the source's score; NaN when none
 * @param scorer the teacher/guide/model that gave {@code score}; null when none
 * @param score the scorer's score of (query, candidate); NaN when not scored
 * @param positiveScore the scorer's score of the query's positive; NaN when not scored
 */
public record Removal(String rule, String queryId, String queryText, String source, String docId,
    int rank, float sourceScore, String scorer, float score, float positiveScore) {

  /** This removal with scores filled in, for a rule that decided without them. */
  public Removal withScores(String scorerName, float candidateScore, float positive) {
    return new Removal(rule, queryId, queryText, source, docId, rank, sourceScore, scorerName,
        candidateScore, positive);
  }
}
