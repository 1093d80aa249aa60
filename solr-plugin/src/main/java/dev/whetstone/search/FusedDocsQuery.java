package dev.whetstone.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;
import org.apache.lucene.index.IndexReader;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.Weight;

/**
 * What a {@link HybridQuery} rewrites to: exactly the fused documents, scored with their fused
 * scores. Like Lucene's {@code DocAndScoreQuery} for kNN it holds top-level doc ids, so it is only
 * valid for the reader it was made for.
 */
final class FusedDocsQuery extends Query {
  private final FusedHits hits;
  /** Per leaf ord, where its documents start in {@code hits.docs}; one more entry for the end. */
  private final int[] segmentStarts;
  private final Object contextIdentity;

  FusedDocsQuery(FusedHits hits, IndexReader reader) {
    this.hits = hits;
    this.contextIdentity = reader.getContext().id();
    List<LeafReaderContext> leaves = reader.leaves();
    segmentStarts = new int[leaves.size() + 1];
    for (LeafReaderContext leaf : leaves) {
      int found = Arrays.binarySearch(hits.docs, leaf.docBase);
      segmentStarts[leaf.ord] = found < 0 ? -1 - found : found;
    }
    segmentStarts[leaves.size()] = hits.docs.length;
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost) {
    if (searcher.getIndexReader().getContext().id() != contextIdentity) {
      throw new IllegalStateException("this fused query was made for a different reader");
    }
    return new Weight(this) {
      @Override
      public Explanation explain(LeafReaderContext context, int doc) {
        int i = Arrays.binarySearch(hits.docs, context.docBase + doc);
        if (i < 0) {
          return Explanation.noMatch("not among the " + hits.docs.length + " fused documents");
        }
        Explanation fused = hits.explain(i);
        return boost == 1f ? fused : Explanation.match(fused.getValue().floatValue() * boost,
            "product of:", fused, Explanation.match(boost, "boost"));
      }

      @Override
      public int count(LeafReaderContext context) {
        return segmentStarts[context.ord + 1] - segmentStarts[context.ord];
      }

      @Override
      public Scorer scorer(LeafReaderContext context) {
        int lower = segmentStarts[context.ord];
        int upper = segmentStarts[context.ord + 1];
        return lower == upper ? null : new SliceScorer(this, context.docBase, lower, upper, boost);
      }

      @Override
      public boolean isCacheable(LeafReaderContext context) {
        return true;
      }
    };
  }

  /** Scores one leaf's slice of the fused documents. */
  private final class SliceScorer extends Scorer {
    private final int docBase;
    private final int lower;
    private final int upper;
    private final float boost;
    private int upTo = -1;

    SliceScorer(Weight weight, int docBase, int lower, int upper, float boost) {
      super(weight);
      this.docBase = docBase;
      this.lower = lower;
      this.upper = upper;
      this.boost = boost;
    }

    @Override
    public int docID() {
      if (upTo == -1) {
        return -1;
      }
      return upTo >= upper ? DocIdSetIterator.NO_MORE_DOCS : hits.docs[upTo] - docBase;
    }

    @Override
    public float score() {
      return hits.scores[upTo] * boost;
    }

    @Override
    public float getMaxScore(int target) {
      float max = 0;
      for (int i = lower; i < upper && hits.docs[i] - docBase <= target; i++) {
        max = Math.max(max, hits.scores[i]);
      }
      return max * boost;
    }

    @Override
    public DocIdSetIterator iterator() {
      return new DocIdSetIterator() {
        @Override
        public int docID() {
          return SliceScorer.this.docID();
        }

        @Override
        public int nextDoc() {
          upTo = upTo == -1 ? lower : upTo + 1;
          return docID();
        }

        @Override
        public int advance(int target) throws IOException {
          return slowAdvance(target);
        }

        @Override
        public long cost() {
          return upper - lower;
        }
      };
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "FusedDocs(" + hits.docs.length + " docs)";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other)
        && contextIdentity == ((FusedDocsQuery) other).contextIdentity
        && Arrays.equals(hits.docs, ((FusedDocsQuery) other).hits.docs)
        && Arrays.equals(hits.scores, ((FusedDocsQuery) other).hits.scores);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), contextIdentity, Arrays.hashCode(hits.docs),
        Arrays.hashCode(hits.scores));
  }
}
