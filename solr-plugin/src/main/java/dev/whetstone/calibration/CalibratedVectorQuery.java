package dev.whetstone.calibration;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.ScoreMode;
import org.apache.lucene.search.Scorer;
import org.apache.lucene.search.TwoPhaseIterator;
import org.apache.lucene.search.Weight;

/**
 * A kNN query whose hits are kept and scored by calibrated relevance ({@link RelevanceScoring}).
 * It wraps the kNN query as it is, so the top-k search, its pre-filter and its per-leaf hits are
 * the kNN query's own: the threshold only removes some of the top k, it never adds hits. The
 * relevance depends on the query vector and the hit's own score, so each shard applies it alone.
 */
public final class CalibratedVectorQuery extends Query {
  /** Cost of one relevance check (an exp and a few multiplications) next to a doc-id step. */
  private static final float MATCH_COST = 10;

  private final Query in;
  private final RelevanceScoring scoring;

  public CalibratedVectorQuery(Query in, RelevanceScoring scoring) {
    this.in = Objects.requireNonNull(in);
    this.scoring = Objects.requireNonNull(scoring);
  }

  public Query getQuery() {
    return in;
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    // kNN queries do their search here; the result is the same wrapper around the found hits
    Query rewritten = in.rewrite(searcher);
    return rewritten == in ? this : new CalibratedVectorQuery(rewritten, scoring);
  }

  @Override
  public Weight createWeight(IndexSearcher searcher, ScoreMode scoreMode, float boost)
      throws IOException {
    // the filter reads scores even where the caller needs none (a filter query, a count);
    // the inner scores are unboosted because the relevance map takes the raw similarity
    ScoreMode innerMode = scoring.filters() || scoring.relevanceScores()
        ? (scoreMode.isExhaustive() ? ScoreMode.COMPLETE : ScoreMode.TOP_SCORES) : scoreMode;
    Weight inner = in.createWeight(searcher, innerMode, 1f);
    return new CalibratedWeight(inner, boost);
  }

  private final class CalibratedWeight extends Weight {
    private final Weight inner;
    private final float boost;

    CalibratedWeight(Weight inner, float boost) {
      super(CalibratedVectorQuery.this);
      this.inner = inner;
      this.boost = boost;
    }

    @Override
    public Scorer scorer(LeafReaderContext context) throws IOException {
      Scorer scorer = inner.scorer(context);
      return scorer == null ? null : new CalibratedScorer(this, scorer, boost);
    }

    @Override
    public Explanation explain(LeafReaderContext context, int doc) throws IOException {
      Explanation similarity = inner.explain(context, doc);
      if (!similarity.isMatch()) {
        return similarity;
      }
      float raw = similarity.getValue().floatValue();
      double relevance = scoring.scoreMap().relevance(raw);
      if (!scoring.keeps(raw)) {
        return Explanation.noMatch("calibrated relevance " + relevance + " is below minRelevance "
            + scoring.minRelevance(), similarity);
      }
      float score = scoring.score(raw) * boost;
      String what = scoring.relevanceScores() ? "calibrated relevance" : "vector similarity";
      return Explanation.match(score, what + (boost == 1f ? "" : " * boost " + boost)
          + " (relevance " + relevance + ", " + scoring + ")", similarity);
    }

    @Override
    public int count(LeafReaderContext context) throws IOException {
      return scoring.filters() ? -1 : inner.count(context);
    }

    @Override
    public boolean isCacheable(LeafReaderContext context) {
      return inner.isCacheable(context);
    }
  }

  private final class CalibratedScorer extends Scorer {
    private final Scorer in;
    private final float boost;
    private final TwoPhaseIterator twoPhase;

    CalibratedScorer(Weight weight, Scorer in, float boost) {
      super(weight);
      this.in = in;
      this.boost = boost;
      this.twoPhase = scoring.filters() ? relevanceCheck(in) : in.twoPhaseIterator();
    }

    /** Matches the inner scorer's hits whose relevance reaches the threshold. */
    private TwoPhaseIterator relevanceCheck(Scorer scorer) {
      TwoPhaseIterator inner = scorer.twoPhaseIterator();
      DocIdSetIterator approximation = inner == null ? scorer.iterator() : inner.approximation();
      return new TwoPhaseIterator(approximation) {
        @Override
        public boolean matches() throws IOException {
          return (inner == null || inner.matches()) && scoring.keeps(scorer.score());
        }

        @Override
        public float matchCost() {
          return (inner == null ? 0 : inner.matchCost()) + MATCH_COST;
        }
      };
    }

    @Override
    public DocIdSetIterator iterator() {
      return twoPhase == null ? in.iterator() : TwoPhaseIterator.asDocIdSetIterator(twoPhase);
    }

    @Override
    public TwoPhaseIterator twoPhaseIterator() {
      return twoPhase;
    }

    @Override
    public int docID() {
      return in.docID();
    }

    @Override
    public float score() throws IOException {
      return scoring.score(in.score()) * boost;
    }

    @Override
    public int advanceShallow(int target) throws IOException {
      return in.advanceShallow(target);
    }

    @Override
    public float getMaxScore(int upTo) throws IOException {
      // the map is monotonic: the best similarity has the best relevance
      return scoring.score(in.getMaxScore(upTo)) * boost;
    }
  }

  @Override
  public void visit(QueryVisitor visitor) {
    in.visit(visitor.getSubVisitor(BooleanClause.Occur.MUST, this));
  }

  @Override
  public String toString(String field) {
    return "calibrated(" + in.toString(field) + ", " + scoring + ")";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && in.equals(((CalibratedVectorQuery) other).in)
        && scoring.equals(((CalibratedVectorQuery) other).scoring);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), in, scoring);
  }
}
