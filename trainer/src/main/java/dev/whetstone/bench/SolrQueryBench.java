package dev.whetstone.bench;

import dev.whetstone.retrieval.RetrievalMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Function;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
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
    return measure(collection, text -> mode.request(text, 10), warmup, measured);
  }

  /**
   * {@code {!knn f=vector topK=100}} with each text's vector supplied: the dense query without its
   * embedding, so the two rows together say where a dense query's time goes.
   */
  public Latencies measureKnn(String collection, Function<String, float[]> vectors,
      List<String> warmup, List<String> measured) throws IOException, SolrServerException {
    return measure(collection, text -> {
      SolrQuery query = new SolrQuery("{!knn f=vector topK=100}" + Arrays.toString(vectors.apply(text)));
      query.setFields("id", "score");
      query.setRows(10);
      return query;
    }, warmup, measured);
  }

  /**
   * Two requests per text, alternating which goes first, so that both see the same machine: for
   * small differences such as the cost of a parameter, or one collection against another.
   * {@code differingTopIds} counts the texts whose two answers list different ids, {@code
   * differingTopScores} those whose lists of scores differ (ids that differ with equal scores are
   * ties, ordered by each index's own doc ids).
   */
  public record Paired(Latencies first, Latencies second, int differingTopIds,
      int differingTopScores) {}

  public Paired measurePaired(String firstCollection, Function<String, SolrQuery> first,
      String secondCollection, Function<String, SolrQuery> second, List<String> warmup,
      List<String> measured) throws IOException, SolrServerException {
    List<String> collections = List.of(firstCollection, secondCollection);
    List<Function<String, SolrQuery>> requests = List.of(first, second);
    for (String text : warmup) {
      client.query(firstCollection, first.apply(text));
      client.query(secondCollection, second.apply(text));
    }
    long[][] nanos = new long[2][measured.size()];
    long[][] qtimes = new long[2][measured.size()];
    int differingIds = 0;
    int differingScores = 0;
    for (int i = 0; i < measured.size(); i++) {
      List<List<Object>> ids = new ArrayList<>(List.of(List.of(), List.of()));
      List<List<Object>> scores = new ArrayList<>(List.of(List.of(), List.of()));
      for (int turn = 0; turn < 2; turn++) {
        int which = (i + turn) % 2;
        SolrQuery query = requests.get(which).apply(measured.get(i));
        long start = System.nanoTime();
        QueryResponse response = client.query(collections.get(which), query);
        nanos[which][i] = System.nanoTime() - start;
        qtimes[which][i] = response.getQTime() * 1_000_000L;
        ids.set(which, response.getResults().stream().map(doc -> doc.getFieldValue("id")).toList());
        scores.set(which, response.getResults().stream().map(doc -> doc.getFieldValue("score")).toList());
      }
      if (!ids.get(0).equals(ids.get(1))) {
        differingIds++;
      }
      if (!scores.get(0).equals(scores.get(1))) {
        differingScores++;
      }
    }
    return new Paired(new Latencies(LatencyStats.ofNanos(nanos[0]), LatencyStats.ofNanos(qtimes[0])),
        new Latencies(LatencyStats.ofNanos(nanos[1]), LatencyStats.ofNanos(qtimes[1])), differingIds,
        differingScores);
  }

  private Latencies measure(String collection, Function<String, SolrQuery> request,
      List<String> warmup, List<String> measured) throws IOException, SolrServerException {
    for (String text : warmup) {
      client.query(collection, request.apply(text));
    }
    long[] nanos = new long[measured.size()];
    long[] qtimes = new long[measured.size()];
    for (int i = 0; i < nanos.length; i++) {
      SolrQuery query = request.apply(measured.get(i));
      long start = System.nanoTime();
      QueryResponse response = client.query(collection, query);
      nanos[i] = System.nanoTime() - start;
      qtimes[i] = response.getQTime() * 1_000_000L;
    }
    return new Latencies(LatencyStats.ofNanos(nanos), LatencyStats.ofNanos(qtimes));
  }
}
