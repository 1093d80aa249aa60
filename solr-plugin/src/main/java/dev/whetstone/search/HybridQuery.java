package dev.whetstone.search;

import java.io.IOException;
import java.util.Objects;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.search.TopDocs;

/**
 * Fuses a lexical and a dense query: on rewrite it runs both on the searcher, takes the top
 * {@code lexicalWindow} and {@code denseWindow} documents of each, fuses their scores with a
 * {@link Fusion} and becomes a query that matches exactly the fused documents, scored with their
 * fused score. Paging, sorting, filters and {@code score} fields then work as for any query.
 *
 * <p>Filters meant to restrict the candidates must be inside both sides (a FILTER clause on the
 * lexical side, the kNN pre-filter on the dense side); a filter applied only around this query
 * would remove candidates after the windows were taken. On a sharded index each shard fuses its
 * own candidates, so ranks (for RRF) and normalization (for linear fusion) are per shard.
 */
public final class HybridQuery extends Query {
  private final Query lexical;
  private final int lexicalWindow;
  private final double lexicalWeight;
  private final Query dense;
  private final int denseWindow;
  private final double denseWeight;
  private final Fusion fusion;

  /**
   * @param dense typically a kNN query whose k is {@code denseWindow}
   * @param lexicalWeight weight of the lexical side's contributions, at least 0
   */
  public HybridQuery(Query lexical, int lexicalWindow, double lexicalWeight, Query dense,
      int denseWindow, double denseWeight, Fusion fusion) {
    if (lexicalWindow <= 0 || denseWindow <= 0) {
      throw new IllegalArgumentException("windows must be > 0, got " + lexicalWindow + " and "
          + denseWindow);
    }
    if (!(lexicalWeight >= 0) || !(denseWeight >= 0)
        || Double.isInfinite(lexicalWeight) || Double.isInfinite(denseWeight)) {
      throw new IllegalArgumentException("weights must be finite and >= 0, got " + lexicalWeight
          + " and " + denseWeight);
    }
    this.lexical = Objects.requireNonNull(lexical);
    this.lexicalWindow = lexicalWindow;
    this.lexicalWeight = lexicalWeight;
    this.dense = Objects.requireNonNull(dense);
    this.denseWindow = denseWindow;
    this.denseWeight = denseWeight;
    this.fusion = Objects.requireNonNull(fusion);
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    TopDocs lexicalTop = searcher.search(lexical, lexicalWindow);
    TopDocs denseTop = searcher.search(dense, denseWindow);
    FusedHits hits = FusedHits.fuse(fusion, lexicalTop.scoreDocs, lexicalWeight,
        denseTop.scoreDocs, denseWeight);
    return new FusedDocsQuery(hits, searcher.getIndexReader());
  }

  @Override
  public void visit(QueryVisitor visitor) {
    QueryVisitor sides = visitor.getSubVisitor(BooleanClause.Occur.SHOULD, this);
    lexical.visit(sides);
    dense.visit(sides);
  }

  @Override
  public String toString(String field) {
    return "hybrid(" + fusion
        + ", lexical(window=" + lexicalWindow + ", weight=" + lexicalWeight + "): "
        + lexical.toString(field)
        + ", dense(window=" + denseWindow + ", weight=" + denseWeight + "): "
        + dense.toString(field) + ")";
  }

  @Override
  public boolean equals(Object other) {
    if (!sameClassAs(other)) {
      return false;
    }
    HybridQuery that = (HybridQuery) other;
    return lexical.equals(that.lexical) && lexicalWindow == that.lexicalWindow
        && Double.compare(lexicalWeight, that.lexicalWeight) == 0
        && dense.equals(that.dense) && denseWindow == that.denseWindow
        && Double.compare(denseWeight, that.denseWeight) == 0
        && fusion.equals(that.fusion);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), lexical, lexicalWindow, lexicalWeight, dense, denseWindow,
        denseWeight, fusion);
  }
}
