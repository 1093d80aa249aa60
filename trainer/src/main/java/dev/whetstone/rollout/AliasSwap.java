package dev.whetstone.rollout;

import java.io.IOException;
import java.time.Duration;
import java.util.List;
import java.util.TreeMap;
import java.util.Map;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.response.CollectionAdminResponse;
import org.apache.solr.common.util.URLUtil;

/**
 * Points a name at another collection with {@code CREATEALIAS} (one ZooKeeper write, so every
 * request resolves the name to the old collection or to the new one, never to neither), then
 * waits until every live node resolves it to the new one.
 *
 * <p>The name must not also be a collection's. Solr 9.10.1 accepts {@code CREATEALIAS C} while a
 * collection {@code C} exists (REINDEXCOLLECTION relies on it) and the nodes resolve the alias
 * first, but SolrJ's CloudSolrClient checks for a collection of the name before it looks at
 * aliases ({@code resolveAliases}), so its queries and updates would keep going to the old
 * collection {@code C} (seen in FullRolloutCloudTest: a writer refused by the fence forever).
 * Hence collections are versioned from the first one on ({@code C_v1}) and clients use the alias.
 */
public final class AliasSwap {
  private final CloudSolrClient client;
  private final Http2SolrClient nodes;
  private final Duration timeout;

  /** @param nodes a client used with each live node's URL */
  public AliasSwap(CloudSolrClient client, Http2SolrClient nodes, Duration timeout) {
    this.client = client;
    this.nodes = nodes;
    this.timeout = timeout;
  }

  /**
   * The aliases as ZooKeeper has them now (LISTALIASES: the node re-reads them first; the
   * client's own view follows a watch and may lag a swap just made).
   */
  public CollectionAdminResponse aliases() throws IOException, SolrServerException {
    return new CollectionAdminRequest.ListAliases().process(client);
  }

  /** The collection {@code name} resolves to now: an alias's one collection, else itself. */
  public String resolve(String name) throws IOException, SolrServerException {
    List<String> collections = aliases().getAliasesAsLists().getOrDefault(name, List.of(name));
    if (collections.size() != 1) {
      throw new IllegalArgumentException("alias " + name + " names " + collections.size()
          + " collections " + collections + "; a roll-out needs exactly one");
    }
    return collections.get(0);
  }

  /** Makes {@code alias} resolve to {@code collection} on every live node. */
  public void swap(String alias, String collection)
      throws IOException, SolrServerException, InterruptedException {
    if (client.getClusterStateProvider().getState(alias) != null) {
      throw new IllegalArgumentException(alias + " is a collection: CloudSolrClient would keep "
          + "sending requests for " + alias + " to it, whatever an alias of that name says; "
          + "serve it under an alias of another name first");
    }
    CollectionAdminRequest.createAlias(alias, collection).process(client);
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, String> stale;
    while (!(stale = staleNodes(alias, collection)).isEmpty()) {
      if (System.nanoTime() > deadline) {
        throw new IOException("alias " + alias + " should name " + collection + " but after "
            + timeout.toSeconds() + " s these nodes still see: " + stale);
      }
      Thread.sleep(50);
    }
  }

  /**
   * Live nodes whose aliases do not resolve {@code alias} to {@code collection}, with what they
   * see. LISTALIASES makes the node re-read the aliases from ZooKeeper before it answers, so a
   * node that answers right is one whose own requests resolve right from then on.
   */
  private Map<String, String> staleNodes(String alias, String collection)
      throws IOException, SolrServerException {
    Map<String, String> stale = new TreeMap<>();
    String scheme = client.getClusterStateProvider().getClusterProperty("urlScheme", "http");
    for (String node : client.getClusterStateProvider().getLiveNodes()) {
      CollectionAdminResponse response = nodes.requestWithBaseUrl(
          URLUtil.getBaseUrlForNodeName(node, scheme), null, new CollectionAdminRequest.ListAliases());
      String seen = response.getAliases().get(alias);
      if (!collection.equals(seen)) {
        stale.put(node, seen == null ? "no alias" : seen);
      }
    }
    return stale;
  }
}
