package dev.whetstone.solr;

import dev.whetstone.calibration.RelevanceScoring;
import dev.whetstone.search.FusedHits;
import dev.whetstone.search.FusedKeysQuery;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.client.solrj.request.QueryRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QParserPlugin;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.SyntaxError;

/**
 * Makes {@code {!hybrid}} fuse over the whole SolrCloud collection rather than per shard. On the
 * coordinator it runs the lexical side and the dense side as two ordinary distributed searches
 * (global BM25 statistics with a statsCache, global kNN), fuses their top windows once, and sends
 * the shards the fused scores by unique key ({@link WhetstoneParams#FUSED}); each shard then only
 * scores those documents, so paging, fq, fl=score and sorting work as usual and the ranking equals
 * that of a single-shard collection. Declare it and list it in the search handler's {@code
 * first-components}; without it each shard fuses its own candidates.
 */
public class HybridFusionComponent extends SearchComponent {
  /** Request parameters that shape the response rather than select candidates. */
  private static final List<String> RESPONSE_PARAMS = List.of(CommonParams.Q, CommonParams.QT,
      QueryParsing.DEFTYPE, CommonParams.SORT, CommonParams.START, CommonParams.ROWS, CommonParams.FL,
      CommonParams.DEBUG, CommonParams.DEBUG_QUERY, "explainOther", CommonParams.OMIT_HEADER,
      "echoParams", "cursorMark", "rq", "facet", "hl", "stats", "group", "spellcheck", "mlt",
      "expand", "terms", "json", "shards.info", WhetstoneParams.QUERY_VECTOR, WhetstoneParams.FUSED,
      WhetstoneParams.FUSED_FOR, WhetstoneParams.INTERNAL_SIGNATURE);

  @Override
  public void prepare(ResponseBuilder rb) throws IOException {
    InternalParams.verify(rb.req);
    SolrParams params = rb.req.getParams();
    String q = params.get(CommonParams.Q);
    if (!rb.isDistributed() || q == null || params.getBool(ShardParams.IS_SHARD, false)) {
      return;
    }
    QParser parser;
    try {
      parser = QParser.getParser(q, params.get(QueryParsing.DEFTYPE, QParserPlugin.DEFAULT_QTYPE), rb.req);
    } catch (SyntaxError e) {
      return; // QueryComponent reports it
    }
    if (!(parser instanceof HybridQParser hybrid)) {
      return;
    }
    HybridQParser.Plan plan = hybrid.plan();
    String key = rb.req.getSchema().getUniqueKeyField().getName();
    // Not closed: closing would shut down the core container it borrows.
    EmbeddedSolrServer local = new EmbeddedSolrServer(rb.req.getCore());
    List<Hit> lexical = search(rb, local, lexicalRequest(params, plan, key));
    List<Hit> dense = calibrated(
        search(rb, local, denseRequest(params, hybrid.getLocalParams(), plan, key)), plan.relevance());

    // Fuse with the same code as single-index fusion: number the keys, fuse, map back.
    Map<String, Integer> numbers = new HashMap<>();
    List<String> keys = new ArrayList<>();
    ScoreDoc[] lexicalDocs = number(lexical, numbers, keys);
    ScoreDoc[] denseDocs = number(dense, numbers, keys);
    FusedHits fused = FusedHits.fuse(plan.fusion(), lexicalDocs, plan.lexicalWeight(), denseDocs,
        plan.denseWeight());
    ModifiableSolrParams withFused = new ModifiableSolrParams(params);
    for (int i = 0; i < keys.size(); i++) {
      withFused.add(WhetstoneParams.FUSED, fused.score(i) + ":" + keys.get(i));
    }
    withFused.set(WhetstoneParams.FUSED_FOR, hybrid.signature());
    InternalParams.markSetHere(rb.req);
    rb.req.setParams(withFused);
    if (rb.isDebug()) {
      NamedList<Object> debug = new SimpleOrderedMap<>();
      debug.add("fusion", plan.fusion().toString());
      debug.add("lexical", asDebug(lexical));
      debug.add("dense", asDebug(dense));
      rb.addDebugInfo("hybrid", debug);
    }
  }

  /** The query a shard runs for fused scores sent by the coordinator. */
  static Query fusedQuery(SolrQueryRequest req, String[] fused) {
    SchemaField key = req.getSchema().getUniqueKeyField();
    Map<BytesRef, Float> scores = new LinkedHashMap<>();
    for (String value : fused) {
      int colon = value.indexOf(':');
      float score;
      BytesRefBuilder term = new BytesRefBuilder();
      try {
        score = colon < 0 ? Float.NaN : Float.parseFloat(value.substring(0, colon));
        key.getType().readableToIndexed(value.substring(colon + 1), term);
      } catch (RuntimeException e) { // a number that does not parse, a key of the wrong type
        score = Float.NaN;
      }
      if (!(score >= 0) || Float.isInfinite(score)) {
        throw InternalParams.malformed(WhetstoneParams.FUSED, value,
            "SCORE:ID with a finite score >= 0 and an ID of the unique key's type");
      }
      scores.put(term.get(), score);
    }
    return new FusedKeysQuery(key.getName(), scores, "hybrid score fused over the collection");
  }

  private static ModifiableSolrParams candidateRequest(SolrParams params, int window, String key) {
    ModifiableSolrParams request = new ModifiableSolrParams();
    for (Iterator<String> names = params.getParameterNamesIterator(); names.hasNext(); ) {
      String name = names.next();
      if (RESPONSE_PARAMS.stream().noneMatch(p -> name.equals(p) || name.startsWith(p + "."))) {
        request.set(name, params.getParams(name));
      }
    }
    request.set(CommonParams.ROWS, window);
    request.set(CommonParams.START, 0);
    request.set(CommonParams.FL, key + ",score");
    return request;
  }

  private static ModifiableSolrParams lexicalRequest(SolrParams params, HybridQParser.Plan plan,
      String key) {
    ModifiableSolrParams request = candidateRequest(params, plan.lexicalWindow(), key);
    StringBuilder q = new StringBuilder("{!").append(plan.lexicalDefType());
    if (plan.lexicalQf() != null) {
      request.set("whetstone.lexical.qf", plan.lexicalQf());
      q.append(" qf=$whetstone.lexical.qf");
    }
    request.set("whetstone.lexical.q", plan.lexicalText());
    request.set(CommonParams.Q, q.append(" v=$whetstone.lexical.q}").toString());
    return request;
  }

  /** {@code {!knn}} with the embedded vector and the hybrid query's own pre-filter params. */
  private static ModifiableSolrParams denseRequest(SolrParams params, SolrParams local,
      HybridQParser.Plan plan, String key) {
    ModifiableSolrParams request = candidateRequest(params, plan.denseWindow(), key);
    StringBuilder q = new StringBuilder("{!knn f=").append(plan.field().getName())
        .append(" topK=").append(plan.denseWindow());
    for (String name : List.of("preFilter", "includeTags", "excludeTags")) {
      String[] values = local == null ? null : local.getParams(name);
      for (int i = 0; values != null && i < values.length; i++) {
        String ref = "whetstone." + name + "." + i;
        request.set(ref, values[i]);
        q.append(' ').append(name).append("=$").append(ref);
      }
    }
    request.set(CommonParams.Q, q.append('}').append(QueryEmbedding.vectorLiteral(plan.vector())).toString());
    return request;
  }

  /** One candidate of a side, best first. */
  private record Hit(String key, float score) {}

  /** One side's candidates: a distributed search through this request's handler. */
  private static List<Hit> search(ResponseBuilder rb, EmbeddedSolrServer local,
      ModifiableSolrParams params) throws IOException {
    QueryRequest request = new QueryRequest(params);
    Object path = rb.req.getContext().get("path");
    request.setPath(path == null ? "/select" : path.toString());
    SolrDocumentList docs;
    try {
      docs = request.process(local).getResults();
    } catch (SolrServerException e) {
      throw new IOException("hybrid candidate search failed: " + e.getMessage(), e);
    }
    String key = rb.req.getSchema().getUniqueKeyField().getName();
    List<Hit> hits = new ArrayList<>(docs.size());
    for (SolrDocument doc : docs) {
      hits.add(new Hit(doc.getFieldValue(key).toString(), ((Number) doc.getFieldValue("score")).floatValue()));
    }
    return hits;
  }

  /**
   * The dense candidates as a single index's calibrated query keeps and scores them: the
   * relevance depends only on the query vector and the similarity, so it is computed here, once.
   */
  private static List<Hit> calibrated(List<Hit> hits, RelevanceScoring scoring) {
    if (scoring == null) {
      return hits;
    }
    List<Hit> kept = new ArrayList<>(hits.size());
    for (Hit hit : hits) {
      if (scoring.keeps(hit.score())) {
        kept.add(new Hit(hit.key(), scoring.score(hit.score())));
      }
    }
    return kept;
  }

  private static ScoreDoc[] number(List<Hit> hits, Map<String, Integer> numbers, List<String> keys) {
    ScoreDoc[] docs = new ScoreDoc[hits.size()];
    for (int i = 0; i < docs.length; i++) {
      int n = numbers.computeIfAbsent(hits.get(i).key(), k -> {
        keys.add(k);
        return keys.size() - 1;
      });
      docs[i] = new ScoreDoc(n, hits.get(i).score());
    }
    return docs;
  }

  private static List<String> asDebug(List<Hit> hits) {
    List<String> out = new ArrayList<>(hits.size());
    for (int i = 0; i < hits.size(); i++) {
      out.add(String.format(Locale.ROOT, "%d. %s (%s)", i + 1, hits.get(i).key(), hits.get(i).score()));
    }
    return out;
  }

  @Override
  public void process(ResponseBuilder rb) {}

  @Override
  public String getDescription() {
    return "Whetstone: collection-wide fusion of {!hybrid} queries";
  }
}
