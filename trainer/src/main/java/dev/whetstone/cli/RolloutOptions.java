package dev.whetstone.cli;

import dev.whetstone.rollout.QueryTowerRollout;
import dev.whetstone.rollout.RolloutException;
import dev.whetstone.rollout.SolrAdmin;
import java.io.IOException;
import picocli.CommandLine.Mixin;

/** What {@code deploy} and {@code rollback} share: the collection, the model, the wait. */
final class RolloutOptions {
  @Mixin SolrCollectionOptions solr;

  @Mixin SwitchOptions switching;

  QueryTowerRollout.Cluster read(SolrAdmin admin) throws IOException, RolloutException {
    return QueryTowerRollout.Cluster.read(admin, solr.collection, switching.modelName, System.out);
  }
}
