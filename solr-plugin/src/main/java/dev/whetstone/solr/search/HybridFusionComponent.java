package dev.whetstone.solr.search;

import dev.whetstone.search.FusedHits;
import dev.whetstone.search.FusedKeysQuery;
import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.search.HybridCandidates.Hit;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardDoc;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.PostFilter;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QParserPlugin;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.SyntaxError;

/**
 * Makes {@code {!hybrid}} fuse over the whole SolrCloud collection rather than per shard, so the
 * ranking equals that of a single-shard collection. Declare it and list it in the search
 * handler's {@code first-components}; without it each shard fuses its own candidates.
 *
 * <p>The coordinator embeds the text once; each shard returns its lexical and its dense top
 * windows, by unique key, in one request ({@link HybridCandidates}; the lexical side scored with
 * the collection's term statistics when a statsCache gathers them), and the coordinator fuses the
 * merged windows once. Then either:
 *
 * <ul>
 *   <li>the coordinator ranks the fused documents itself: the candidates ride on the main query's
 *       shard request, whose own search is skipped, so a plain request (sorted by score, no
 *       facets, grouping, cursor, stats, rerank, post-filter or debug) costs the shard requests of
 *       a plain BM25 query: term statistics (with an exact statsCache), top ids, then stored
 *       fields unless {@code fl} asks only for the key and score;
 *   <li>or, for every other request, the candidates come in a shard request of their own, and the
 *       main query sends the shards the fused scores by unique key ({@link
 *       InternalParams#FUSED}); each shard then only scores those documents, so facets, sorting,
 *       grouping and the rest work as for any query.
 * </ul>
 */
public class HybridFusionComponent extends SearchComponent {
  /** The stage of the separate candidates request: after term statistics, before the main query. */
  static final int STAGE_CANDIDATES = ResponseBuilder.STAGE_EXECUTE_QUERY - 100;
  private static final String CONTEXT_KEY = HybridFusionComponent.class.getName() + ".request";

  /** Request parameters that shape the response rather than select candidates. */
  private static final List<String> RESPONSE_PARAMS = List.of(CommonParams.Q, CommonParams.QT,
      QueryParsing.DEFTYPE, CommonParams.SORT, CommonParams.START, CommonParams.ROWS, CommonParams.FL,
      CommonParams.DEBUG, CommonParams.DEBUG_QUERY, "explainOther", CommonParams.OMIT_HEADER,
      "echoParams", "cursorMark", "rq", "facet", "hl", "stats", "group", "spellcheck", "mlt",
      "expand", "terms", "json", "shards.info");

  /** A distributed {@code {!hybrid}} request, as the coordinator fuses it. */
  private static final class HybridRequest {
    final HybridQParser parser;
    final HybridQParser.Plan plan;
    /** Whether the coordinator ranks the fused documents itself; decided once components prepared. */
    Boolean rankedHere;

    HybridRequest(HybridQParser parser, HybridQParser.Plan plan) {
      this.parser = parser;
      this.plan = plan;
    }
  }

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
    if (parser instanceof HybridQParser hybrid) {
      rb.req.getContext().put(CONTEXT_KEY, new HybridRequest(hybrid, hybrid.plan()));
    }
  }

  /** On a shard asked for candidates: answers with them instead of the main query's documents. */
  @Override
  public void process(ResponseBuilder rb) throws IOException {
    String candidatesFor = InternalParams.candidatesFor(rb.req.getParams());
    if (candidatesFor == null) {
      return;
    }
    if (!(rb.getQparser() instanceof HybridQParser hybrid) || !hybrid.signature().equals(candidatesFor)) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "parameter '" + InternalParams.CANDIDATES
          + "' asks for the candidates of the request's {!hybrid} main query: q is not that query");
    }
    HybridCandidates.respond(rb, hybrid);
    rb.setQuery(new MatchNoDocsQuery("only the {!hybrid} candidates were asked for"));
  }

  @Override
  public int distributedProcess(ResponseBuilder rb) {
    HybridRequest hybrid = (HybridRequest) rb.req.getContext().get(CONTEXT_KEY);
    if (hybrid == null) {
      return ResponseBuilder.STAGE_DONE;
    }
    if (hybrid.rankedHere == null) { // every component has prepared: the request's shape is known
      hybrid.rankedHere = canRankHere(rb);
    }
    if (hybrid.rankedHere) {
      return ResponseBuilder.STAGE_DONE;
    }
    if (rb.stage < STAGE_CANDIDATES) {
      return STAGE_CANDIDATES;
    }
    if (rb.stage == STAGE_CANDIDATES) {
      ShardRequest candidates = new ShardRequest();
      candidates.params = candidateRequest(rb.req.getParams(), hybrid.parser.signature());
      // sent as the main query will be: with the collection's term statistics
      SolrIndexSearcher searcher = rb.req.getSearcher();
      searcher.getStatsCache().sendGlobalStats(rb, candidates);
      rb.addRequest(this, candidates);
    }
    return ResponseBuilder.STAGE_DONE;
  }

  /**
   * Asks the term statistics of the lexical side (the hybrid query itself has none to give), and
   * the candidates along with the main query's top ids when the coordinator ranks them itself.
   */
  @Override
  public void modifyRequest(ResponseBuilder rb, SearchComponent who, ShardRequest sreq) {
    HybridRequest hybrid = (HybridRequest) rb.req.getContext().get(CONTEXT_KEY);
    if (hybrid == null) {
      return;
    }
    // only this component asks shards for candidates: a client's value would empty its own answer
    InternalParams.clearCandidates(sreq.params);
    if ((sreq.purpose & ShardRequest.PURPOSE_GET_TERM_STATS) != 0) {
      setLexicalQuery(sreq.params, hybrid.plan);
    }
    if (Boolean.TRUE.equals(hybrid.rankedHere) && (sreq.purpose & ShardRequest.PURPOSE_GET_TOP_IDS) != 0) {
      InternalParams.askCandidates(sreq.params, hybrid.parser.signature());
    }
  }

  @Override
  public void finishStage(ResponseBuilder rb) {
    HybridRequest hybrid = (HybridRequest) rb.req.getContext().get(CONTEXT_KEY);
    if (hybrid == null) {
      return;
    }
    int stage = hybrid.rankedHere ? ResponseBuilder.STAGE_EXECUTE_QUERY : STAGE_CANDIDATES;
    if (rb.stage != stage) {
      return;
    }
    ShardRequest answered = rb.finished.stream()
        .filter(sreq -> InternalParams.candidatesFor(sreq.params) != null).findFirst()
        .orElseThrow(() -> new SolrException(ErrorCode.SERVER_ERROR, "no shard answered for the "
            + "{!hybrid} candidates"));
    HybridQParser.Plan plan = hybrid.plan;
    HybridCandidates.Windows windows =
        HybridCandidates.merge(answered, plan.lexicalWindow(), plan.denseWindow());
    List<Hit> fused = fuse(plan, windows);
    if (hybrid.rankedHere) {
      rank(rb, fused);
    } else {
      Map<Object, Float> scores = new LinkedHashMap<>();
      for (Hit hit : fused) {
        scores.put(hit.key(), hit.score());
      }
      InternalParams.setFused(rb.req, scores, hybrid.parser.signature());
    }
    if (rb.isDebug()) {
      NamedList<Object> debug = new SimpleOrderedMap<>();
      debug.add("fusion", plan.fusion().toString());
      debug.add("lexical", asDebug(windows.lexical()));
      debug.add("dense", asDebug(windows.dense()));
      rb.addDebugInfo("hybrid", debug);
    }
  }

  /**
   * Whether the fused ranking is the whole answer: sorted by score, and nothing else that needs
   * the shards to run the query (facets, stats, grouping, cursors, rerank, post-filters, debug).
   */
  private static boolean canRankHere(ResponseBuilder rb) {
    Sort sort = rb.getSortSpec().getSort();
    boolean byScore = sort == null || (sort.getSort().length == 1
        && sort.getSort()[0].getType() == SortField.Type.SCORE && !sort.getSort()[0].getReverse());
    List<Query> filters = rb.getFilters();
    return byScore && !rb.isNeedDocSet() && !rb.doFacets && !rb.doStats && !rb.doExpand
        && !rb.doTerms && !rb.grouping() && rb.getCursorMark() == null && rb.getRankQuery() == null
        && !rb.isDebug()
        && !rb.req.getParams().getBool(ShardParams.DISTRIB_SINGLE_PASS, false)
        && (filters == null || filters.stream().noneMatch(filter -> filter instanceof PostFilter));
  }

  /**
   * Puts the fused documents in the place of the main query's (empty) merged results, as
   * QueryComponent would have merged them: positions, shards, and in a one-pass query (fl asks
   * only for the key and score) the documents themselves.
   */
  private static void rank(ResponseBuilder rb, List<Hit> fused) {
    int offset = rb.getSortSpec().getOffset();
    int end = Math.min(fused.size(), offset + rb.getSortSpec().getCount());
    boolean scores = (rb.getFieldFlags() & SolrIndexSearcher.GET_SCORES) != 0;
    String key = rb.req.getSchema().getUniqueKeyField().getName();
    SolrDocumentList docs = new SolrDocumentList();
    docs.setNumFound(fused.size());
    docs.setNumFoundExact(true);
    docs.setStart(offset);
    if (scores && !fused.isEmpty()) {
      docs.setMaxScore(fused.get(0).score());
    }
    Map<Object, ShardDoc> positions = new HashMap<>();
    for (int i = offset; i < end; i++) {
      Hit hit = fused.get(i);
      ShardDoc doc = new ShardDoc(hit.score(), null, hit.key(), hit.shard());
      doc.positionInResponse = i - offset;
      doc.orderInShard = i;
      positions.put(hit.key().toString(), doc);
      SolrDocument fields = null;
      if (rb.onePassDistributedQuery) {
        fields = new SolrDocument();
        fields.setField(key, hit.key());
        if (scores) {
          fields.setField("score", hit.score());
        }
      }
      docs.add(fields);
    }
    rb.resultIds = positions;
    rb.setResponseDocs(docs);
  }

  /** The collection's windows fused, best first (equal scores by key, for a stable order). */
  private static List<Hit> fuse(HybridQParser.Plan plan, HybridCandidates.Windows windows) {
    // the same code as single-index fusion: number the keys, fuse, map back
    Map<String, Integer> numbers = new HashMap<>();
    List<Hit> numbered = new ArrayList<>();
    ScoreDoc[] lexical = number(windows.lexical(), numbers, numbered);
    ScoreDoc[] dense = number(windows.dense(), numbers, numbered);
    FusedHits scores = FusedHits.fuse(plan.fusion(), lexical, plan.lexicalWeight(), dense,
        plan.denseWeight());
    List<Hit> fused = new ArrayList<>(numbered.size());
    for (int i = 0; i < numbered.size(); i++) {
      Hit hit = numbered.get(i);
      fused.add(new Hit(hit.key(), scores.score(i), hit.shard()));
    }
    fused.sort(Comparator.comparingDouble((Hit hit) -> hit.score()).reversed()
        .thenComparing(hit -> hit.key().toString()));
    return fused;
  }

  private static ScoreDoc[] number(List<Hit> hits, Map<String, Integer> numbers, List<Hit> numbered) {
    ScoreDoc[] docs = new ScoreDoc[hits.size()];
    for (int i = 0; i < docs.length; i++) {
      Hit hit = hits.get(i);
      int n = numbers.computeIfAbsent(hit.key().toString(), k -> {
        numbered.add(hit);
        return numbered.size() - 1;
      });
      docs[i] = new ScoreDoc(n, hit.score());
    }
    return docs;
  }

  /**
   * The query a shard runs for the scores the coordinator fused for the {@code {!hybrid}} query
   * {@code queryId}; null when it sent none for that query.
   */
  static Query fusedQuery(SolrQueryRequest req, String queryId) {
    SchemaField key = req.getSchema().getUniqueKeyField();
    Map<BytesRef, Float> scores = InternalParams.fusedScores(req, queryId, readable -> {
      BytesRefBuilder term = new BytesRefBuilder();
      key.getType().readableToIndexed(readable, term);
      return term.get();
    });
    return scores == null ? null
        : new FusedKeysQuery(key.getName(), scores, "hybrid score fused over the collection");
  }

  /**
   * The candidates request: the request's selecting params (none of the internal ones), marked
   * for the hybrid query.
   */
  private static ModifiableSolrParams candidateRequest(SolrParams params, String signature) {
    ModifiableSolrParams request = new ModifiableSolrParams();
    for (Iterator<String> names = params.getParameterNamesIterator(); names.hasNext(); ) {
      String name = names.next();
      if (!InternalParams.isInternal(name)
          && RESPONSE_PARAMS.stream().noneMatch(p -> name.equals(p) || name.startsWith(p + "."))) {
        request.set(name, params.getParams(name));
      }
    }
    request.set(CommonParams.Q, params.get(CommonParams.Q));
    request.set(QueryParsing.DEFTYPE, params.get(QueryParsing.DEFTYPE));
    request.set(CommonParams.ROWS, 0);
    InternalParams.askCandidates(request, signature);
    return request;
  }

  /** Makes {@code params} a query of the hybrid query's lexical side alone. */
  private static void setLexicalQuery(ModifiableSolrParams params, HybridQParser.Plan plan) {
    StringBuilder q = new StringBuilder("{!").append(plan.lexicalDefType());
    if (plan.lexicalQf() != null) {
      params.set("whetstone.lexical.qf", plan.lexicalQf());
      q.append(" qf=$whetstone.lexical.qf");
    }
    params.set("whetstone.lexical.q", plan.lexicalText());
    params.set(CommonParams.Q, q.append(" v=$whetstone.lexical.q}").toString());
    params.remove(QueryParsing.DEFTYPE);
  }

  private static List<String> asDebug(List<Hit> hits) {
    List<String> out = new ArrayList<>(hits.size());
    for (int i = 0; i < hits.size(); i++) {
      out.add(String.format(Locale.ROOT, "%d. %s (%s)", i + 1, hits.get(i).key(), hits.get(i).score()));
    }
    return out;
  }

  @Override
  public String getDescription() {
    return "Whetstone: collection-wide fusion of {!hybrid} queries";
  }
}
