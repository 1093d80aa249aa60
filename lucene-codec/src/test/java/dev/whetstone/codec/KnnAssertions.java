package dev.whetstone.codec;

import static org.junit.Assert.assertEquals;

import java.util.HashSet;
import java.util.Set;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;

/** Compares two top-k lists as equal "ties aside". */
public final class KnnAssertions {
  private KnnAssertions() {}

  /**
   * Same length; the same score at each rank (within float rounding); and the same documents,
   * except that documents scoring within rounding of the last rank's score may differ (ties at
   * the cut-off). Documents are not compared rank by rank: equal scores may come in either order.
   */
  public static void assertSameTopK(String message, TopDocs expected, TopDocs actual) {
    ScoreDoc[] e = expected.scoreDocs;
    ScoreDoc[] a = actual.scoreDocs;
    assertEquals(message + ": hit count", e.length, a.length);
    if (e.length == 0) {
      return;
    }
    for (int i = 0; i < e.length; i++) {
      assertEquals(message + ": score at rank " + i, e[i].score, a[i].score, tolerance(e[i].score));
    }
    float last = e[e.length - 1].score;
    Set<Integer> expectedAboveCut = aboveCut(e, last);
    Set<Integer> actualAboveCut = aboveCut(a, last);
    assertEquals(message + ": documents above the cut-off score " + last, expectedAboveCut,
        actualAboveCut);
  }

  private static Set<Integer> aboveCut(ScoreDoc[] hits, float cut) {
    Set<Integer> docs = new HashSet<>();
    for (ScoreDoc hit : hits) {
      if (hit.score > cut + tolerance(cut)) {
        docs.add(hit.doc);
      }
    }
    return docs;
  }

  private static float tolerance(float score) {
    return 1e-5f * Math.max(1f, Math.abs(score));
  }
}
