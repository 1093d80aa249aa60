package dev.whetstone.bench;

import dev.whetstone.demo.RetrievalMode;
import java.io.IOException;
import java.util.List;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;

/**
 * Latency of Solr queries as a client sees it: one request at a time, top 10 ids and scores, each
 * query text sent once after a warm-up on other texts (so the query-embedding cache, when on,
 * never answers).
 */
public final class SolrQueryBench {
  private final SolrClient client;

  public SolrQueryBench(SolrClient client) {
    this.client = client;
  }

  /**
   * Latency as the client sees it, and Solr's own QTime (the coordinator's time from request to
   * response, without the HTTP round trip and the client's parsing).
   */
  public record Latencies(LatencyStats client, LatencyStats server) {}

  /** Runs {@code warmup} texts unmeasured, then measures the others. */
  public Latencies measure(String collection, RetrievalMode mode, List<String> warmup,
      List<String> measured) throws IOException, SolrServerException {
    for (String text : warmup) {
      client.query(collection, mode.request(text, 10));
    }
    long[] nanos = new long[measured.size()];
    long[] qtimes = new long[measured.size()];
    for (int i = 0; i < nanos.length; i++) {
      long start = System.nanoTime();
      QueryResponse response = client.query(collection, mode.request(measured.get(i), 10));
      nanos[i] = System.nanoTime() - start;
      qtimes[i] = response.getQTime() * 1_000_000L;
    }
    return new Latencies(LatencyStats.ofNanos(nanos), LatencyStats.ofNanos(qtimes));
  }
}
