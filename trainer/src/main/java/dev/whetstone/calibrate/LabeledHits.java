package dev.whetstone.calibrate;

/**
 * One query's kNN hits as Solr would return them, labeled: what a Cosine Adapter is fitted and
 * measured on.
 *
 * @param queryVector the query's embedding (the adapter's input)
 * @param scores Lucene vector scores of the hits, best first ({@code (1 + dot) / 2})
 * @param relevant whether each hit is judged relevant
 * @param relevantTotal relevant documents of the query, retrieved or not (recall's denominator)
 */
public record LabeledHits(String queryId, float[] queryVector, float[] scores, boolean[] relevant,
    int relevantTotal) {

  public LabeledHits {
    if (scores.length != relevant.length) {
      throw new IllegalArgumentException("query " + queryId + ": " + scores.length + " scores but "
          + relevant.length + " labels");
    }
  }

  public int size() {
    return scores.length;
  }

  /** Lucene's score for dot product and cosine on unit vectors. */
  public static float luceneScore(float dotProduct) {
    return Math.max((1 + dotProduct) / 2, 0);
  }
}
