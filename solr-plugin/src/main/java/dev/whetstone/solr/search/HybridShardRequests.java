package dev.whetstone.solr.search;

import dev.whetstone.solr.InternalParams;
import java.util.Iterator;
import java.util.List;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.search.QueryParsing;

/**
 * The shard requests a distributed {@code {!hybrid}} query makes or changes: the separate
 * candidates request, and the term-statistics request turned into a query of the lexical side.
 */
final class HybridShardRequests {
  private HybridShardRequests() {}

  /** Request parameters that shape the response rather than select candidates. */
  private static final List<String> RESPONSE_PARAMS = List.of(CommonParams.Q, CommonParams.QT,
      QueryParsing.DEFTYPE, CommonParams.SORT, CommonParams.START, CommonParams.ROWS, CommonParams.FL,
      CommonParams.DEBUG, CommonParams.DEBUG_QUERY, "explainOther", CommonParams.OMIT_HEADER,
      "echoParams", "cursorMark", "rq", "facet", "hl", "stats", "group", "spellcheck", "mlt",
      "expand", "terms", "json", "shards.info");

  /**
   * The candidates request: the request's selecting params (none of the internal ones), marked
   * for the hybrid query.
   */
  static ModifiableSolrParams candidateRequest(SolrParams params, String signature) {
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
  static void setLexicalQuery(ModifiableSolrParams params, HybridQParser.Plan plan) {
    StringBuilder q = new StringBuilder("{!").append(plan.lexicalDefType());
    if (plan.lexicalQf() != null) {
      params.set("whetstone.lexical.qf", plan.lexicalQf());
      q.append(" qf=$whetstone.lexical.qf");
    }
    params.set("whetstone.lexical.q", plan.lexicalText());
    params.set(CommonParams.Q, q.append(" v=$whetstone.lexical.q}").toString());
    params.remove(QueryParsing.DEFTYPE);
  }
}
