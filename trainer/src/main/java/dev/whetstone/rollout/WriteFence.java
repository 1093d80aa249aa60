package dev.whetstone.rollout;

import java.io.IOException;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.CoreAdminRequest;
import org.apache.solr.client.solrj.request.UpdateRequest;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.cloud.Replica;
import org.apache.solr.common.params.CoreAdminParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.UpdateParams;
import org.apache.solr.common.util.NamedList;

/**
 * Makes a collection read-only with Solr's own {@code MODIFYCOLLECTION readOnly=true}, and
 * writable again with {@code readOnly=""}.
 *
 * <p>What Solr 9.10.1 does: the flag goes into the collection's state; the command waits until
 * its own node sees it, then reloads every core of the collection before it returns. A core that
 * is reloaded while its node sees the flag then commits and closes its IndexWriter
 * ({@code CoreContainer.reload}: a close-on-commit for read-only collections), so every update it
 * had indexed becomes visible, and a later update can only fail, never hide. Each replica checks
 * the flag of its own view of the cluster state when an update arrives and refuses adds, deletes
 * and commits alike with HTTP 403 "Collection NAME is read-only."; queries are served throughout.
 * A plain RELOAD of a read-only collection breaks its cores in 9.10.1 (the reload's commit finds
 * the writer closed: "Indexing is temporarily disabled", then "Error opening new searcher"), so
 * this class never issues one.
 *
 * <p>Since a node may see the flag only after its core was reloaded, {@link #fence} returns only
 * once every replica refuses a commit (proof its node sees the flag) and reports its index as
 * current (its searcher shows every update its writer took), and fails naming the replica
 * otherwise.
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

  /**
   * Makes {@code collection} read-only; returns once every replica refuses writes and shows
   * every update it accepted.
   */
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
      if (!indexIsCurrent(replica)) {
        throw new IOException("replica " + replica.getCoreName() + " of " + collection + " took "
            + "updates its searcher does not show (its node saw readOnly only after the reload);"
            + " lift the fence and fence again");
      }
    }
  }

  /** Makes {@code collection} writable again (also reloads its cores). */
  public void lift(String collection) throws IOException, SolrServerException {
    Map<String, Object> writable = new HashMap<>();
    // an empty value removes the property from the collection's state
    writable.put(READ_ONLY, "");
    CollectionAdminRequest.modifyCollection(collection, writable).process(client);
  }

  /** Whether the core's searcher shows everything its IndexWriter took (CoreAdmin STATUS). */
  private boolean indexIsCurrent(Replica replica) throws IOException, SolrServerException {
    CoreAdminRequest status = new CoreAdminRequest();
    status.setAction(CoreAdminParams.CoreAdminAction.STATUS);
    status.setCoreName(replica.getCoreName());
    NamedList<Object> core = nodes.requestWithBaseUrl(replica.getBaseUrl(), null, status)
        .getCoreStatus(replica.getCoreName());
    Object current = core == null ? null : core._get(List.of("index", "current"), null);
    if (!(current instanceof Boolean)) {
      throw new IOException("no index status for replica " + replica.getCoreName() + ": " + core);
    }
    return (Boolean) current;
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
