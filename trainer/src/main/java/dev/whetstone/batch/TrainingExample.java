package dev.whetstone.batch;

import java.util.List;

/** One (query, positive) pair with the hard negatives it trains against. */
public record TrainingExample(String queryId, String queryText, String positiveId,
    List<String> negativeIds) {
  public TrainingExample {
    negativeIds = List.copyOf(negativeIds);
  }
}
