package dev.whetstone.rollout;

import java.io.IOException;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.params.CursorMarkParams;

/** Pages through a query's results in unique key order with cursorMark. */
final class CursorScan {
  /** Receives one non-empty page and the cursorMark after it; returns false to stop. */
  interface PageConsumer {
    boolean accept(SolrDocumentList page, String cursorAfter) throws IOException, InterruptedException;
  }

  private CursorScan() {}

  /**
   * Pages from {@code cursor} to the end (or until {@code consumer} says stop). {@code query}
   * must sort by the unique key; its rows are the page size.
   *
   * @return true when the scan reached the end
   */
  static boolean scan(SolrClient client, String collection, SolrQuery query, String cursor,
      PageConsumer consumer) throws IOException, SolrServerException, InterruptedException {
    SolrQuery paged = fromLeaders(query.getCopy());
    while (true) {
      paged.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse response = client.query(collection, paged);
      if (response.getResults().isEmpty()) {
        return true;
      }
      cursor = response.getNextCursorMark();
      if (!consumer.accept(response.getResults(), cursor)) {
        return false;
      }
    }
  }

  /**
   * Sends a read to the shard leaders. A leader holds every write it acknowledged; a replica may
   * not: one that saw the fence (readOnly) before its leader refuses the leader's forwarded
   * update, which the leader acknowledged all the same and recovers the replica later. A catch-up
   * that read such a replica would miss that write.
   */
  static SolrQuery fromLeaders(SolrQuery query) {
    query.set(ShardParams.SHARDS_PREFERENCE, ShardParams.SHARDS_PREFERENCE_REPLICA_LEADER + ":true");
    return query;
  }
}
