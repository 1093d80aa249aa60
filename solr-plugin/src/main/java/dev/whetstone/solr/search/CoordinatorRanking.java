package dev.whetstone.solr.search;

import dev.whetstone.solr.search.HybridCandidates.Hit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.Sort;
import org.apache.lucene.search.SortField;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.ShardDoc;
import org.apache.solr.search.PostFilter;
import org.apache.solr.search.SolrIndexSearcher;

/**
 * The coordinator's own ranking of the fused {@code {!hybrid}} documents, for a request whose
 * answer is the fused ranking alone: whether the request is one, and the fused documents put in
 * the place of the main query's merged results.
 */
final class CoordinatorRanking {
  private CoordinatorRanking() {}

  /**
   * Whether the fused ranking is the whole answer: sorted by score, and nothing else that needs
   * the shards to run the query (facets, stats, grouping, cursors, rerank, post-filters, debug).
   */
  static boolean canRankHere(ResponseBuilder rb) {
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
  static void rank(ResponseBuilder rb, List<Hit> fused) {
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
}
