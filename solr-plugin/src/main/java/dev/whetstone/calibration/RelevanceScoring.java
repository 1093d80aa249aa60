package dev.whetstone.calibration;

import java.util.Objects;

/**
 * What one dense query keeps and how it scores, by calibrated relevance: the query's map (from its
 * vector, so every shard that has the vector computes the same map), the lowest relevance a hit
 * may have, and whether hits are scored by relevance instead of by vector similarity.
 *
 * @param minRelevance hits whose relevance is below it are dropped; 0 keeps every hit
 * @param relevanceScores score hits by relevance (monotonic in the similarity: same order)
 */
public record RelevanceScoring(QueryScoreMap scoreMap, double minRelevance,
    boolean relevanceScores) {

  public RelevanceScoring {
    Objects.requireNonNull(scoreMap, "scoreMap");
    if (!(minRelevance >= 0 && minRelevance < 1)) {
      throw new IllegalArgumentException("minRelevance must be in [0, 1), got " + minRelevance);
    }
  }

  /** Whether hits are dropped at all. */
  public boolean filters() {
    return minRelevance > 0;
  }

  /** Whether a hit with this Lucene vector score is kept. */
  public boolean keeps(float similarity) {
    return !filters() || scoreMap.relevance(similarity) >= minRelevance;
  }

  /** The score a kept hit gets: its relevance, or its similarity unchanged. */
  public float score(float similarity) {
    return relevanceScores ? (float) scoreMap.relevance(similarity) : similarity;
  }

  @Override
  public String toString() {
    return scoreMap.map().label() + "(a=" + scoreMap.a() + ", b=" + scoreMap.b()
        + (scoreMap.map() == ScoreMap.POWER ? ", p=" + scoreMap.p() : "") + ")"
        + (filters() ? ", minRelevance=" + minRelevance : "")
        + (relevanceScores ? ", score=relevance" : "");
  }
}
