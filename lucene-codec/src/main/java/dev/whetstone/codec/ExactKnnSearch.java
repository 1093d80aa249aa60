package dev.whetstone.codec;

import java.io.IOException;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.search.VectorScorer;
import org.apache.lucene.util.Bits;

/** Exact kNN on the CPU: every accepted vector of a segment scored with the field's similarity. */
public final class ExactKnnSearch {
  private ExactKnnSearch() {}

  /**
   * Scores each vector of {@code values} whose document {@code acceptDocs} accepts (all when null)
   * against {@code target} and offers it to {@code collector}.
   */
  public static void search(
      FloatVectorValues values, float[] target, KnnCollector collector, Bits acceptDocs)
      throws IOException {
    if (values == null) {
      return;
    }
    VectorScorer scorer = values.scorer(target);
    DocIdSetIterator docs = scorer.iterator();
    int visited = 0;
    for (int doc = docs.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = docs.nextDoc()) {
      if (acceptDocs == null || acceptDocs.get(doc)) {
        collector.collect(doc, scorer.score());
        visited++;
      }
    }
    collector.incVisitedCount(visited);
  }
}
