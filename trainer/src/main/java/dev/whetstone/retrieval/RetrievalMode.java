package dev.whetstone.retrieval;

import java.util.Locale;
import org.apache.solr.client.solrj.SolrQuery;

/**
 * The three ways the demo, the benchmarks and BM25 mining search a BEIR collection. The query
 * text travels as its own parameter ({@code v=$qq}), so no query syntax inside it needs escaping
 * for the local-params parsers.
 */
public enum RetrievalMode {
  /**
   * BM25 over title and text, field scores summed (tie=1.0) as in Anserini's multifield runs. The
   * text is escaped term by term, so edismax reads it as plain words.
   */
  BM25("{!edismax qf=\"title text\" tie=1.0 v=$qq}") {
    @Override
    public String queryText(String text) {
      return QueryText.escapeTerms(text);
    }
  },
  /** kNN over the vectors, the query embedded once on the coordinator. */
  DENSE("{!embed f=vector model=minilm topK=100 v=$qq}"),
  /** BM25 and kNN fused by reciprocal rank. */
  HYBRID("{!hybrid f=vector model=minilm lexicalQf=\"title text\" fusion=rrf rrfK=60 "
      + "lexicalDocs=100 topK=100 v=$qq}");

  /** Parameter that carries the query text. */
  public static final String TEXT_PARAM = "qq";

  private final String localParams;

  RetrievalMode(String localParams) {
    this.localParams = localParams;
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** The {@code q} parameter, with the text in {@link #TEXT_PARAM}. */
  public String localParams() {
    return localParams;
  }

  /** The text as sent in {@link #TEXT_PARAM}: escaped for BM25, as typed otherwise. */
  public String queryText(String text) {
    return text;
  }

  /** A request for the top {@code rows} ids and scores of a query text. */
  public SolrQuery request(String text, int rows) {
    SolrQuery query = new SolrQuery(localParams);
    query.set(TEXT_PARAM, queryText(text));
    query.setFields("id", "score");
    query.setRows(rows);
    return query;
  }
}
