package dev.whetstone.solr.search;

import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.search.HybridCandidates.Hit;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.handler.component.ShardRequest;
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
 *
 * <p>This class runs the distributed stages; the jobs are done by {@link CollectionFusion} (the
 * fusion of the merged windows), {@link CoordinatorRanking} (whether and how the coordinator
 * ranks), {@link HybridShardRequests} (the candidates and term-statistics requests) and {@link
 * FusedScores} (the fused scores sent to the shards, and read back there).
 */
public class HybridFusionComponent extends SearchComponent {
  /** The stage of the separate candidates request: after term statistics, before the main query. */
  static final int STAGE_CANDIDATES = ResponseBuilder.STAGE_EXECUTE_QUERY - 100;
  private static final String CONTEXT_KEY = HybridFusionComponent.class.getName() + ".request";

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
      hybrid.rankedHere = CoordinatorRanking.canRankHere(rb);
    }
    if (hybrid.rankedHere) {
      return ResponseBuilder.STAGE_DONE;
    }
    if (rb.stage < STAGE_CANDIDATES) {
      return STAGE_CANDIDATES;
    }
    if (rb.stage == STAGE_CANDIDATES) {
      ShardRequest candidates = new ShardRequest();
      candidates.params =
          HybridShardRequests.candidateRequest(rb.req.getParams(), hybrid.parser.signature());
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
      HybridShardRequests.setLexicalQuery(sreq.params, hybrid.plan);
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
    List<Hit> fused = CollectionFusion.fuse(plan, windows);
    if (hybrid.rankedHere) {
      CoordinatorRanking.rank(rb, fused);
    } else {
      FusedScores.send(rb.req, fused, hybrid.parser.signature());
    }
    if (rb.isDebug()) {
      NamedList<Object> debug = new SimpleOrderedMap<>();
      debug.add("fusion", plan.fusion().toString());
      debug.add("lexical", CollectionFusion.asDebug(windows.lexical()));
      debug.add("dense", CollectionFusion.asDebug(windows.dense()));
      rb.addDebugInfo("hybrid", debug);
    }
  }

  @Override
  public String getDescription() {
    return "Whetstone: collection-wide fusion of {!hybrid} queries";
  }
}
