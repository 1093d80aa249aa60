package dev.whetstone.retrieval;

import java.io.IOException;
import java.util.List;

/** Ranks corpus documents for a query text: BM25 over Lucene or Solr, or a dense index. */
public interface CandidateSource extends AutoCloseable {
  /** Short name used in audit records, e.g. {@code bm25} or {@code dense}. */
  String name();

  /** The top {@code depth} documents, best first, ranks 1..n. */
  List<Candidate> candidates(String queryText, int depth) throws IOException;

  @Override
  default void close() throws IOException {}
}
