package dev.whetstone.solr.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.apache.lucene.search.TopDocs;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardRequest;
import org.apache.solr.handler.component.ShardResponse;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.search.SyntaxError;
import org.apache.solr.search.stats.StatsCache;

/**
 * The wire format of a shard's {@code {!hybrid}} candidates: its top lexical and top dense
 * documents with their scores, by unique key, found in one shard request. A shard scores the
 * lexical side with the collection's term statistics when the coordinator sent them (a
 * statsCache), so candidates of all shards merge into the windows a single index would take.
 */
final class HybridCandidates {
  private HybridCandidates() {}

  /** Response key of the candidates in a shard's response. */
  static final String RESPONSE_KEY = "whetstone.hybridCandidates";

  /** A candidate document: its unique key (readable form), its score, its shard. */
  record Hit(Object key, float score, String shard) {}

  /** Both sides' candidates, best first. */
  record Windows(List<Hit> lexical, List<Hit> dense) {}

  /**
   * On a shard: finds the candidates of {@code parser}'s query, adds them to the response, and
   * returns nothing else (the main query matches no documents, so Solr does not run it again).
   */
  static void respond(ResponseBuilder rb, HybridQParser parser) throws IOException {
    SolrIndexSearcher searcher = rb.req.getSearcher();
    // the collection's term statistics, as QueryComponent installs them for its own search
    StatsCache stats = searcher.getStatsCache();
    int purpose = rb.req.getParams().getInt(ShardParams.SHARDS_PURPOSE, 0);
    if ((purpose & ShardRequest.PURPOSE_SET_TERM_STATS) != 0) {
      stats.receiveGlobalStats(rb.req);
    }
    rb.req.getContext().put(SolrIndexSearcher.STATS_SOURCE, stats.get(rb.req));

    HybridQParser.Plan plan = parser.plan();
    HybridQParser.Sides sides;
    try {
      sides = parser.sides(plan);
    } catch (SyntaxError e) {
      throw new SolrException(ErrorCode.BAD_REQUEST, e.getMessage(), e);
    }
    SchemaField key = rb.req.getSchema().getUniqueKeyField();
    NamedList<Object> candidates = new SimpleOrderedMap<>();
    add(candidates, "lexical", searcher.search(sides.lexical(), plan.lexicalWindow()), searcher, key);
    add(candidates, "dense", searcher.search(sides.dense(), plan.denseWindow()), searcher, key);
    rb.rsp.add(RESPONSE_KEY, candidates);
  }

  private static void add(NamedList<Object> out, String side, TopDocs top,
      SolrIndexSearcher searcher, SchemaField key) throws IOException {
    int[] docs = new int[top.scoreDocs.length];
    List<Float> scores = new ArrayList<>(docs.length);
    for (int i = 0; i < docs.length; i++) {
      docs[i] = top.scoreDocs[i].doc;
      scores.add(top.scoreDocs[i].score);
    }
    out.add(side + ".keys", UniqueKeys.of(searcher, key, docs));
    out.add(side + ".scores", scores);
  }

  /**
   * On the coordinator: the collection's windows, merged from every shard's candidates of {@code
   * sreq}: the best {@code lexicalWindow} and {@code denseWindow} over all shards.
   */
  static Windows merge(ShardRequest sreq, int lexicalWindow, int denseWindow) {
    List<Hit> lexical = new ArrayList<>();
    List<Hit> dense = new ArrayList<>();
    for (ShardResponse response : sreq.responses) {
      if (response.getException() != null) {
        continue; // shards.tolerant=true: Solr reports the partial result
      }
      Object candidates = response.getSolrResponse().getResponse().get(RESPONSE_KEY);
      if (!(candidates instanceof NamedList<?> list)) {
        throw new SolrException(ErrorCode.SERVER_ERROR, "shard " + response.getShard()
            + " returned no {!hybrid} candidates: list the hybrid fusion component in the"
            + " first-components of its search handler, as on this node");
      }
      read(list, "lexical", response.getShard(), lexical);
      read(list, "dense", response.getShard(), dense);
    }
    return new Windows(best(lexical, lexicalWindow), best(dense, denseWindow));
  }

  private static void read(NamedList<?> candidates, String side, String shard, List<Hit> out) {
    List<?> keys = (List<?>) candidates.get(side + ".keys");
    List<?> scores = (List<?>) candidates.get(side + ".scores");
    for (int i = 0; i < keys.size(); i++) {
      out.add(new Hit(keys.get(i), ((Number) scores.get(i)).floatValue(), shard));
    }
  }

  /** The {@code window} best hits; a stable sort, so equal scores keep the shards' order. */
  private static List<Hit> best(List<Hit> hits, int window) {
    List<Hit> sorted = new ArrayList<>(hits);
    sorted.sort(Comparator.comparingDouble((Hit hit) -> hit.score()).reversed());
    return sorted.subList(0, Math.min(window, sorted.size()));
  }
}
