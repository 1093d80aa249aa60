package dev.whetstone.solr;

import java.security.SecureRandom;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.cloud.SolrZkClient;
import org.apache.solr.core.CoreContainer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException;

/**
 * The key that signs internal parameters ({@link InternalParamsSigner}), one per node, held in its
 * {@link CoreContainer}'s object cache. In SolrCloud every node reads the same 32 random bytes
 * from ZooKeeper ({@link #ZNODE}), created by whichever node needs them first. A standalone node
 * uses a random key of its own JVM: a user-managed distributed search ({@code shards=...}) across
 * standalone JVMs therefore cannot forward query vectors or fused scores between them.
 */
final class InternalParamsKey {
  private InternalParamsKey() {}

  static final String ZNODE = "/whetstone/internal-params-key";
  private static final int BYTES = 32;
  private static final String CACHE_KEY = InternalParamsKey.class.getName();
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final InternalParamsSigner STANDALONE = new InternalParamsSigner(random());

  /** The signer of this node's cluster. */
  static InternalParamsSigner signer(CoreContainer container) {
    if (!container.isZooKeeperAware()) {
      return STANDALONE;
    }
    return container.getObjectCache().computeIfAbsent(CACHE_KEY, InternalParamsSigner.class,
        k -> new InternalParamsSigner(clusterKey(container.getZkController().getZkClient())));
  }

  /** The cluster's key, created if absent; when two nodes race to create it, both read the winner's. */
  static byte[] clusterKey(SolrZkClient zk) {
    try {
      try {
        zk.makePath(ZNODE, random(), CreateMode.PERSISTENT, null, true, true);
      } catch (KeeperException.NodeExistsException e) {
        // another node created it first
      }
      byte[] key = zk.getData(ZNODE, null, null, true);
      if (key == null || key.length < BYTES) {
        throw new SolrException(ErrorCode.SERVER_ERROR, "ZooKeeper node " + ZNODE + " holds "
            + (key == null ? 0 : key.length) + " bytes, not a " + BYTES + "-byte key");
      }
      return key;
    } catch (KeeperException e) {
      throw new SolrException(ErrorCode.SERVER_ERROR, "cannot read " + ZNODE + " from ZooKeeper", e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new SolrException(ErrorCode.SERVER_ERROR, "interrupted reading " + ZNODE, e);
    }
  }

  private static byte[] random() {
    byte[] key = new byte[BYTES];
    RANDOM.nextBytes(key);
    return key;
  }
}
