package dev.whetstone.retrieval;

import java.util.List;

/** Dense candidates: a query text's nearest documents in a {@link DenseIndex}. */
public final class DenseSource implements CandidateSource {
  private final String name;
  private final DenseIndex index;
  private final QueryVectors queries;

  /** @param queries the query tower matching the index's document vectors */
  public DenseSource(String name, DenseIndex index, QueryVectors queries) {
    this.name = name;
    this.index = index;
    this.queries = queries;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public List<Candidate> candidates(String queryText, int depth) {
    return index.search(NonFiniteVectorException.check(queries.get(queryText),
        "the vector of query '" + queryText + "'"), depth);
  }
}
