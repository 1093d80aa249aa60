package dev.whetstone.demo;

import dev.whetstone.retrieval.RetrievalMode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrDocument;

/** Runs query texts against a collection and collects the ranked ids: a run to evaluate. */
public final class BeirRunner {
  private final SolrClient client;
  private final String collection;

  public BeirRunner(SolrClient client, String collection) {
    this.client = client;
    this.collection = collection;
  }

  /** Query id → top {@code rows} document ids, best first. */
  public Map<String, List<String>> run(RetrievalMode mode, Map<String, String> queries, int rows)
      throws IOException, SolrServerException {
    Map<String, List<String>> run = new LinkedHashMap<>();
    for (Map.Entry<String, String> query : queries.entrySet()) {
      run.put(query.getKey(), topIds(mode, query.getValue(), rows));
    }
    return run;
  }

  /** The top {@code rows} ids of one query text, best first. */
  public List<String> topIds(RetrievalMode mode, String text, int rows)
      throws IOException, SolrServerException {
    return hits(mode.request(text, rows)).stream().map(Hit::id).toList();
  }

  /** A ranked document. */
  public record Hit(String id, float score) {}

  /** The top {@code rows} hits of a query given as local params reading the text from {@code $qq}. */
  public List<Hit> topHits(String localParams, String text, int rows)
      throws IOException, SolrServerException {
    SolrQuery query = new SolrQuery(localParams);
    query.set(RetrievalMode.TEXT_PARAM, text);
    query.setFields("id", "score");
    query.setRows(rows);
    return hits(query);
  }

  private List<Hit> hits(SolrQuery query) throws IOException, SolrServerException {
    List<Hit> hits = new ArrayList<>();
    for (SolrDocument doc : client.query(collection, query).getResults()) {
      hits.add(new Hit((String) doc.getFirstValue("id"), ((Number) doc.getFirstValue("score")).floatValue()));
    }
    return hits;
  }
}
