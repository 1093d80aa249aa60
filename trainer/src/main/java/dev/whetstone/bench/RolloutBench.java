package dev.whetstone.bench;

import dev.whetstone.data.BeirDocument;
import dev.whetstone.demo.BeirIndexer;
import dev.whetstone.rollout.CollectionCopy;
import dev.whetstone.rollout.FullRollout;
import dev.whetstone.rollout.ParallelSender;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.common.SolrInputDocument;

/**
 * The full-mode re-embedding rate against its yardstick: a fresh index of the same documents by
 * the same document model, sent the same way (same senders, same batches), in the same cluster.
 * Collections are created as {@code whetstone deploy} creates them: the document model recorded
 * at CREATE by fingerprint.
 */
public final class RolloutBench {
  private final CloudSolrClient client;
  private final String configSet;
  private final String modelName;
  private final int threads;
  private final int batchSize;
  private final PrintStream out;

  /** @param modelName the model's name in the configset, e.g. {@code minilm} */
  public RolloutBench(CloudSolrClient client, String configSet, String modelName, int threads,
      int batchSize, PrintStream out) {
    this.client = client;
    this.configSet = configSet;
    this.modelName = modelName;
    this.threads = threads;
    this.batchSize = batchSize;
    this.out = out;
  }

  /** Creates {@code collection} (shards x 1) whose document model is {@code fingerprint}. */
  public void create(String collection, int shards, String fingerprint) throws Exception {
    CollectionAdminRequest.createCollection(collection, configSet, shards, 1)
        .withProperty("whetstone." + modelName + ".documentModel", fingerprint)
        .process(client);
  }

  /** Indexes {@code documents} into {@code collection} and commits; returns docs/s. */
  public double freshIndex(String collection, List<BeirDocument> documents) throws Exception {
    long begin = System.nanoTime();
    try (ParallelSender sender = new ParallelSender(client, collection, "id", threads, upTo -> {})) {
      for (int from = 0, seq = 0; from < documents.size(); from += batchSize, seq++) {
        List<SolrInputDocument> batch = new ArrayList<>();
        for (BeirDocument doc : documents.subList(from, Math.min(documents.size(), from + batchSize))) {
          batch.add(BeirIndexer.toSolr(doc));
        }
        sender.send(seq, batch);
      }
      sender.finish();
    }
    client.commit(collection);
    return documents.size() / ((System.nanoTime() - begin) / 1e9);
  }

  /**
   * Moves {@code alias} to {@code target} embedded by {@code fingerprint} with the full roll-out
   * (no online gate); returns its copy.
   */
  public CollectionCopy.Result rollout(String alias, String target, int shards, String fingerprint,
      Path workDir) throws Exception {
    try (Http2SolrClient nodes = new Http2SolrClient.Builder().build()) {
      FullRollout engine = new FullRollout(client, nodes, new FullRollout.Settings("vector",
          threads, batchSize, Duration.ofSeconds(5), 50, 10, 2, Duration.ofSeconds(120), workDir),
          out);
      return engine.rollout(alias, target, c -> create(c, shards, fingerprint), c -> true).copy();
    }
  }
}
