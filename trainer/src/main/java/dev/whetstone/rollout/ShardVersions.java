package dev.whetstone.rollout;

import java.io.IOException;
import java.util.Map;
import java.util.TreeMap;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.cloud.DocCollection;
import org.apache.solr.common.cloud.Slice;
import org.apache.solr.common.params.ShardParams;

/**
 * The highest {@code _version_} visible in each shard of a collection. Versions come from each
 * shard leader's own clock, so they are compared only within a shard, never across shards.
 * A version is the leader's time in milliseconds shifted left 20 bits (plus a counter), so
 * {@link #minusMillis} moves a marker back by wall-clock time.
 */
record ShardVersions(String collection, Map<String, Long> byShard) {

  /** Reads each active shard alone ({@code shards=<name>}); 0 for an empty shard. */
  static ShardVersions read(CloudSolrClient client, String collection)
      throws IOException, SolrServerException {
    Map<String, Long> byShard = new TreeMap<>();
    for (String shard : shards(client, collection)) {
      SolrQuery query = new SolrQuery("*:*").setRows(1).setFields(CopiedFields.VERSION_FIELD)
          .setSort(CopiedFields.VERSION_FIELD, SolrQuery.ORDER.desc);
      query.set(ShardParams.SHARDS, shard);
      SolrDocumentList top = client.query(collection, CursorScan.fromLeaders(query)).getResults();
      byShard.put(shard, top.isEmpty() ? 0L : (Long) top.get(0).getFieldValue(CopiedFields.VERSION_FIELD));
    }
    return new ShardVersions(collection, byShard);
  }

  static Iterable<String> shards(CloudSolrClient client, String collection) throws IOException {
    DocCollection state = client.getClusterStateProvider().getCollection(collection);
    if (state == null) {
      throw new IOException("no collection " + collection + " in the cluster state");
    }
    return state.getActiveSlices().stream().map(Slice::getName).sorted()::iterator;
  }

  /** The marker of one shard; an error naming both when the shard was not there before. */
  long of(String shard) {
    Long version = byShard.get(shard);
    if (version == null) {
      throw new IllegalStateException("collection " + collection + " has shard " + shard
          + ", which its version markers " + byShard + " do not know (was it split?)");
    }
    return version;
  }

  /** Every marker moved back by {@code millis} of the leaders' clocks (never below 0). */
  ShardVersions minusMillis(long millis) {
    Map<String, Long> earlier = new TreeMap<>();
    byShard.forEach((shard, v) -> earlier.put(shard, Math.max(0, v - (millis << 20))));
    return new ShardVersions(collection, earlier);
  }
}
