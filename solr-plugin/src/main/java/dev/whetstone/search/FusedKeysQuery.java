package dev.whetstone.search;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Objects;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.PostingsEnum;
import org.apache.lucene.index.Terms;
import org.apache.lucene.index.TermsEnum;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.QueryVisitor;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.BytesRef;

/**
 * Documents named by their unique key, each with a score fused elsewhere: a SolrCloud coordinator
 * fuses the collection-wide candidates of a hybrid query once and sends every shard this query, so
 * shards rank by the same global fusion. Rewrites to a {@link FusedDocsQuery} on the shard's reader.
 */
public final class FusedKeysQuery extends Query {
  private final String keyField;
  private final Map<BytesRef, Float> scores;
  private final String origin;

  /**
   * @param keyField the unique-key field (indexed terms)
   * @param scores fused score of each key, each finite and >= 0
   * @param origin says in explanations how the scores were fused
   */
  public FusedKeysQuery(String keyField, Map<BytesRef, Float> scores, String origin) {
    this.keyField = Objects.requireNonNull(keyField);
    this.scores = Map.copyOf(scores);
    this.origin = Objects.requireNonNull(origin);
  }

  @Override
  public Query rewrite(IndexSearcher searcher) throws IOException {
    int[] docs = new int[scores.size()];
    float[] docScores = new float[scores.size()];
    int found = 0;
    for (LeafReaderContext leaf : searcher.getIndexReader().leaves()) {
      Terms terms = leaf.reader().terms(keyField);
      if (terms == null) {
        continue;
      }
      TermsEnum termsEnum = terms.iterator();
      Bits live = leaf.reader().getLiveDocs();
      PostingsEnum postings = null;
      for (Map.Entry<BytesRef, Float> entry : scores.entrySet()) {
        if (!termsEnum.seekExact(entry.getKey())) {
          continue;
        }
        postings = termsEnum.postings(postings, PostingsEnum.NONE);
        for (int doc = postings.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS;
            doc = postings.nextDoc()) {
          if (live == null || live.get(doc)) {
            docs[found] = leaf.docBase + doc;
            docScores[found++] = entry.getValue();
          }
        }
      }
    }
    Integer[] order = new Integer[found];
    Arrays.setAll(order, i -> i);
    Arrays.sort(order, (a, b) -> Integer.compare(docs[a], docs[b]));
    int[] sortedDocs = new int[found];
    float[] sortedScores = new float[found];
    for (int i = 0; i < found; i++) {
      sortedDocs[i] = docs[order[i]];
      sortedScores[i] = docScores[order[i]];
    }
    return new FusedDocsQuery(FusedHits.precomputed(sortedDocs, sortedScores, origin),
        searcher.getIndexReader());
  }

  @Override
  public void visit(QueryVisitor visitor) {
    visitor.visitLeaf(this);
  }

  @Override
  public String toString(String field) {
    return "FusedKeys(" + keyField + ", " + scores.size() + " keys, " + origin + ")";
  }

  @Override
  public boolean equals(Object other) {
    return sameClassAs(other) && keyField.equals(((FusedKeysQuery) other).keyField)
        && scores.equals(((FusedKeysQuery) other).scores)
        && origin.equals(((FusedKeysQuery) other).origin);
  }

  @Override
  public int hashCode() {
    return Objects.hash(classHash(), keyField, scores, origin);
  }
}
