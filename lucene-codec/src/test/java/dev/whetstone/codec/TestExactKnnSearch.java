package dev.whetstone.codec;

import dev.whetstone.codec.gpu.KnnSearchMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.search.TotalHits;
import org.apache.lucene.search.Weight;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.Bits;

/**
 * The CPU exact path, the reference for the GPU: equal to a brute force over every live, accepted
 * vector computed here with Lucene's similarity functions, for each similarity, with deletions
 * and filters; and HNSW finds most of it.
 */
public class TestExactKnnSearch extends LuceneTestCase {
  public void testEqualsBruteForce() throws Exception {
    for (VectorSimilarityFunction similarity : VectorSimilarityFunction.values()) {
      try (RandomVectorIndex index = new RandomVectorIndex(newDirectory(), newIndexWriterConfig(),
          random(), similarity, atLeast(2000), 4 + random().nextInt(30))) {
        int found = 0;
        int total = 0;
        for (int i = 0; i < 5; i++) {
          float[] target = index.randomVector();
          for (Query filter : RandomVectorIndex.filters()) {
            int k = 1 + random().nextInt(50);
            TopDocs expected = bruteForce(index, target, k, filter);
            TopDocs exact = index.search(KnnSearchMode.EXACT, target, k, filter);
            KnnAssertions.assertSameTopK(similarity + " k=" + k + " " + filter, expected, exact);
            TopDocs hnsw = index.search(KnnSearchMode.HNSW, target, k, filter);
            found += overlap(expected, hnsw);
            total += expected.scoreDocs.length;
          }
        }
        assertTrue(similarity + ": HNSW recall " + found + "/" + total, found >= 0.8 * total);
      }
    }
  }

  private static TopDocs bruteForce(RandomVectorIndex index, float[] target, int k, Query filter)
      throws IOException {
    IndexSearcher searcher = index.searcher;
    Weight weight = filter == null ? null
        : searcher.createWeight(searcher.rewrite(filter), ScoreMode.COMPLETE_NO_SCORES, 1);
    List<ScoreDoc> hits = new ArrayList<>();
    for (LeafReaderContext leaf : index.reader.leaves()) {
      FloatVectorValues values = leaf.reader().getFloatVectorValues(RandomVectorIndex.FIELD);
      if (values == null) {
        continue;
      }
      Bits live = leaf.reader().getLiveDocs();
      Scorer filterScorer = weight == null ? null : weight.scorer(leaf);
      if (weight != null && filterScorer == null) {
        continue;
      }
      DocIdSetIterator accepted = filterScorer == null ? null : filterScorer.iterator();
      for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
        if (live != null && !live.get(doc)) {
          continue;
        }
        if (accepted != null) {
          if (accepted.docID() < doc) {
            accepted.advance(doc);
          }
          if (accepted.docID() != doc) {
            continue;
          }
        }
        hits.add(new ScoreDoc(leaf.docBase + doc,
            index.similarity.compare(target, values.vectorValue())));
      }
    }
    hits.sort((a, b) -> a.score != b.score ? Float.compare(b.score, a.score) : Integer.compare(a.doc, b.doc));
    List<ScoreDoc> top = hits.subList(0, Math.min(k, hits.size()));
    return new TopDocs(new TotalHits(top.size(), TotalHits.Relation.EQUAL_TO), top.toArray(new ScoreDoc[0]));
  }

  private static int overlap(TopDocs expected, TopDocs actual) {
    int n = 0;
    for (ScoreDoc e : expected.scoreDocs) {
      for (ScoreDoc a : actual.scoreDocs) {
        if (a.doc == e.doc) {
          n++;
          break;
        }
      }
    }
    return n;
  }
}
