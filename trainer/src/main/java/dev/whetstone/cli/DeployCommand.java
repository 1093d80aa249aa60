package dev.whetstone.cli;

import dev.whetstone.model.ModelDirectory;
import dev.whetstone.rollout.DocumentModelRollout;
import dev.whetstone.rollout.QueryTowerRollout;
import dev.whetstone.rollout.SolrAdmin;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code whetstone deploy}: rolls a query tower out to every replica of a live collection through
 * Solr alone: publish to the file store, online gate, switch, verify, and switch back on failure.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Roll a model out to a live SolrCloud collection through Solr alone. A query "
        + "tower (whetstone train --mode query-tower): publish it to Solr's file store, compare it "
        + "with the serving tower on judged queries sent to the collection (--data), switch the "
        + "collection property whetstone.NAME.queryModel and wait until every replica serves it; "
        + "on a refusal or timeout, switch back. A document model (full mode): a new collection "
        + "C_<fingerprint> behind the alias C, every document re-embedded through its update "
        + "chain, writes made meanwhile caught up, the gate on it, then the alias swap. Exit "
        + "status 0 deployed, 1 failed (switched back), 2 bad input, 5 refused by the online gate.")
final class DeployCommand implements Callable<Integer> {
  @Mixin RolloutOptions rollout;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "the model directory: a query tower, or a document model (full mode)")
  Path model;

  @Mixin GateOptions gateOptions;
  @Mixin FullModeOptions fullMode;

  @Option(names = "--data", paramLabel = "DIR", description = "BEIR data set folder whose judged "
      + "queries gate the roll-out (default: none, the online gate is skipped)")
  Path data;

  @Option(names = "--split", defaultValue = "test",
      description = "qrels split of the gate's queries (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--queries", defaultValue = "0",
      description = "gate on the first N judged queries (0: all)")
  int queries;

  @Override
  public Integer call() throws Exception {
    QueryTowerRollout.GateQueries gate =
        data == null ? null : QueryTowerRollout.GateQueries.read(data, split, queries);
    QueryTowerRollout.Settings settings = gateOptions.settings(rollout.switching);
    boolean queryTower = ModelDirectory.open(model).manifest().documentTowerFingerprint() != null;
    try (SolrAdmin admin = new SolrAdmin(rollout.solr.url)) {
      return ExitStatus.of(queryTower
          ? new QueryTowerRollout(admin, settings, System.out).run(rollout.solr.collection, model, gate)
          : new DocumentModelRollout(admin, fullMode.settings(settings, rollout.solr.collection),
              System.out).run(rollout.solr.collection, model, gate));
    }
  }
}
