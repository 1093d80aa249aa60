package dev.whetstone.mine;

import dev.whetstone.retrieval.Candidate;
import java.util.List;

/**
 * A training query with its labeled positives and the negatives mining kept for it: hard negatives
 * of every source (interleaved by rank, each document once), then random ones (rank 0).
 */
public record MinedQuery(String queryId, String queryText, List<String> positiveIds,
    List<Candidate> negatives) {
  public MinedQuery {
    positiveIds = List.copyOf(positiveIds);
    negatives = List.copyOf(negatives);
  }
}
