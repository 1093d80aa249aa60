package dev.whetstone.rollout;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.UpdateParams;

/**
 * Makes a collection read-only with Solr's own {@code MODIFYCOLLECTION readOnly=true}, and
 * writable again with {@code readOnly=""}.
 *
 * <p>What Solr 9.10.1 does: the flag goes into the collection's state, then the command reloads
 * every core of the collection before it returns. Each replica checks the flag of its own view of
 * the cluster state when an update arrives, and refuses adds, deletes and commits alike with HTTP
 * 403 "Collection NAME is read-only." (a forwarded update is refused the same way by a replica
 * that sees the flag). Queries are served throughout.
 *
 * <p>A core reload opens its first searcher on the live IndexWriter, so it sees every update
 * indexed before it, committed or not; this is what lets the final catch-up read the fenced
 * collection even though commits are refused. An update that passed a replica's check just
 * before that replica learned of the flag can still be indexed after the reload, so
 * {@link #fence} waits until every replica refuses a commit (proof it sees the flag) and then
 * reloads the collection once more, so the searchers include whatever got in before the fence.
 */
public final class WriteFence {
  private static final String READ_ONLY = "readOnly";

  private final CloudSolrClient client;
  private final Http2SolrClient nodes;
  private final Duration timeout;

  /**
   * @param nodes a client used with each replica's node URL
   * @param timeout how long to wait for every replica to refuse writes
   */
  public WriteFence(CloudSolrClient client, Http2SolrClient nodes, Duration timeout) {
    this.client = client;
    this.nodes = nodes;
    this.timeout = timeout;
  }

  /** Makes {@code collection} read-only; returns once every replica refuses writes. */
  public void fence(String collection)
      throws IOException, SolrServerException, InterruptedException {
    Map<String, Object> readOnly = new HashMap<>();
    readOnly.put(READ_ONLY, "true");
    CollectionAdminRequest.modifyCollection(collection, readOnly).process(client);
    long deadline = System.nanoTime() + timeout.toNanos();
    for (Replica replica : client.getClusterStateProvider().getCollection(collection).getReplicas()) {
      while (!refusesCommit(replica)) {
        if (System.nanoTime() > deadline) {
          throw new IOException("replica " + replica.getCoreName() + " of " + collection
              + " still accepts commits " + timeout.toSeconds() + " s after readOnly=true");
        }
        Thread.sleep(50);
      }
    }
    CollectionAdminRequest.reloadCollection(collection).process(client);
  }

  /** Makes {@code collection} writable again (also reloads its cores). */
  public void lift(String collection) throws IOException, SolrServerException {
    Map<String, Object> writable = new HashMap<>();
    // an empty value removes the property from the collection's state
    writable.put(READ_ONLY, "");
    CollectionAdminRequest.modifyCollection(collection, writable).process(client);
  }

  /** A commit to this core alone: harmless when accepted, 403 once the core sees the fence. */
  private boolean refusesCommit(Replica replica) throws IOException, SolrServerException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set(UpdateParams.COMMIT, true);
    params.set("distrib", false);
    UpdateRequest commit = new UpdateRequest();
    commit.setParams(params);
    try {
      nodes.requestWithBaseUrl(replica.getBaseUrl(), replica.getCoreName(), commit);
      return false;
    } catch (SolrException e) {
      if (e.code() == 403) {
        return true;
      }
      throw e;
    }
  }
}
