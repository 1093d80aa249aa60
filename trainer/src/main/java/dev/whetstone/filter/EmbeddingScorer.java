package dev.whetstone.filter;

import dev.whetstone.mine.DenseIndex;
import dev.whetstone.mine.QueryVectors;

/** Dot product of a query vector and a document vector of one model (teacher, guide or current). */
public final class EmbeddingScorer implements RelevanceScorer {
  private final String name;
  private final DenseIndex documents;
  private final QueryVectors queries;

  public EmbeddingScorer(String name, DenseIndex documents, QueryVectors queries) {
    this.name = name;
    this.documents = documents;
    this.queries = queries;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public float score(String queryText, String docId) {
    return documents.score(queries.get(queryText), docId);
  }
}
