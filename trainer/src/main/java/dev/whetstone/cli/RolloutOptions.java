package dev.whetstone.cli;

import dev.whetstone.rollout.QueryTowerSwitch;
import dev.whetstone.rollout.QueryTowerSwitch.ReplicaState;
import dev.whetstone.rollout.RolloutException;
import dev.whetstone.rollout.SolrAdmin;
import java.io.IOException;
import java.util.List;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** What {@code deploy} and {@code rollback} share: the collection, the model, the wait. */
final class RolloutOptions {
  @Mixin SolrCollectionOptions solr;

  @Option(names = "--model-name", defaultValue = "minilm", paramLabel = "NAME",
      description = "the model's name in the collection's configset (default: ${DEFAULT-VALUE})")
  String modelName;

  @Option(names = "--timeout", defaultValue = "60s", paramLabel = "DURATION",
      description = "how long every replica has to report the new model, e.g. 60s, 2m "
          + "(default: ${DEFAULT-VALUE})")
  String timeout;

  long timeoutSeconds() {
    return Durations.parseSeconds("--timeout", timeout);
  }

  /** The collection and its replicas as they are now, before anything changes. */
  record Cluster(String collection, QueryTowerSwitch switcher, List<ReplicaState> before,
      String serving) {}

  Cluster read(SolrAdmin admin) throws IOException, RolloutException {
    String collection = admin.resolve(solr.collection);
    if (!collection.equals(solr.collection)) {
      System.out.printf("'%s' is an alias of collection '%s'%n", solr.collection, collection);
    }
    QueryTowerSwitch switcher = new QueryTowerSwitch(admin, collection, modelName, System.out);
    List<ReplicaState> before = switcher.read(switcher.activeReplicas());
    return new Cluster(collection, switcher, before, QueryTowerSwitch.serving(before));
  }
}
