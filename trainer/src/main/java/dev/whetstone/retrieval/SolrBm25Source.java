package dev.whetstone.retrieval;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.common.SolrDocument;

/**
 * BM25 candidates from a live Solr collection of the BEIR configset: the very query its BM25 mode
 * sends (edismax over title and text, tie=1.0).
 */
public final class SolrBm25Source implements CandidateSource {
  private final SolrClient client;
  private final String collection;
  private final boolean ownsClient;

  /** Searches through {@code client}, which stays open on {@link #close()}: its owner closes it. */
  public SolrBm25Source(SolrClient client, String collection) {
    this(client, collection, false);
  }

  private SolrBm25Source(SolrClient client, String collection, boolean ownsClient) {
    this.client = client;
    this.collection = collection;
    this.ownsClient = ownsClient;
  }

  /** Searches the collection at {@code solrUrl} through a client of its own, closed with it. */
  public static SolrBm25Source connect(String solrUrl, String collection) {
    return new SolrBm25Source(new Http2SolrClient.Builder(solrUrl).build(), collection, true);
  }

  @Override
  public String name() {
    return "solr-bm25";
  }

  @Override
  public List<Candidate> candidates(String queryText, int depth) throws IOException {
    if (depth <= 0) {
      return List.of();
    }
    try {
      List<Candidate> candidates = new ArrayList<>();
      for (SolrDocument doc : client.query(collection, RetrievalMode.BM25.request(queryText, depth))
          .getResults()) {
        candidates.add(new Candidate(String.valueOf(doc.getFirstValue("id")), candidates.size() + 1,
            ((Number) doc.getFirstValue("score")).floatValue()));
      }
      return candidates;
    } catch (SolrServerException e) {
      throw new IOException("BM25 query to collection '" + collection + "' failed: "
          + e.getMessage(), e);
    }
  }

  @Override
  public void close() throws IOException {
    if (ownsClient) {
      client.close();
    }
  }
}
