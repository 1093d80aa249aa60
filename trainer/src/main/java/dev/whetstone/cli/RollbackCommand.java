package dev.whetstone.cli;

import dev.whetstone.rollout.DeploymentLog;
import dev.whetstone.rollout.DocumentModelRollout;
import dev.whetstone.rollout.QueryTowerRollout;
import dev.whetstone.rollout.QueryTowerSwitch;
import dev.whetstone.rollout.RolloutException;
import dev.whetstone.rollout.SolrAdmin;
import java.time.Instant;
import java.util.Locale;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/**
 * {@code whetstone rollback}: the query tower the newest roll-out in effect replaced goes back,
 * with the same switch and verification as {@code deploy}.
 */
@Command(name = "rollback", mixinStandardHelpOptions = true,
    description = "Switch a collection back to the query tower its newest deployment in effect "
        + "replaced (read from the collection property whetstone.NAME.deployments), wait until "
        + "every replica serves it, and log the rollback. Exit status 0 rolled back (or nothing "
        + "to roll back), 1 failed (switched back), 2 bad input.")
final class RollbackCommand implements Callable<Integer> {
  @Mixin RolloutOptions rollout;
  @Mixin FullModeOptions fullMode;
  // the engine's settings carry the vector field (the copy leaves it out)
  @Mixin GateOptions gateOptions;

  @Override
  public Integer call() throws Exception {
    long timeoutSeconds = rollout.switching.timeoutSeconds();
    try (SolrAdmin admin = new SolrAdmin(rollout.solr.url)) {
      QueryTowerRollout.Cluster cluster = rollout.read(admin);
      DeploymentLog log = DeploymentLog.read(admin, cluster.collection(), rollout.switching.modelName);
      DeploymentLog.Entry undo = log.inEffect();
      if (undo == null) {
        System.out.printf("Nothing to roll back: %s of '%s' records no deployment in effect "
            + "(%d entries); it serves %s%n", log.property(), cluster.collection(),
            log.entries().size(), cluster.serving());
        return ExitStatus.OK;
      }
      if (undo.kind().equals(DeploymentLog.FULL)) {
        System.out.printf("Rolling back the full roll-out of %s (%s): '%s' back to collection '%s'%n",
            undo.to(), undo.at(), rollout.solr.collection, undo.from());
        new DocumentModelRollout(admin, fullMode.settings(gateOptions.settings(rollout.switching),
            rollout.solr.collection), System.out).rollback(rollout.solr.collection, log);
        System.out.printf("Rolled back '%s' to collection '%s'; logged in %s of '%s'%n",
            rollout.solr.collection, undo.from(), log.property(), undo.from());
        return ExitStatus.OK;
      }
      if (!undo.to().equals(cluster.serving())) {
        throw new RolloutException(log.property() + " says " + undo.to() + " was deployed at "
            + undo.at() + ", but the replicas of '" + cluster.collection() + "' serve "
            + cluster.serving() + ": not rolling back a deployment that is not what is served");
      }
      System.out.printf("Rolling back the deployment of %s (%s) to %s%n", undo.to(), undo.at(),
          undo.from());
      QueryTowerSwitch.Result result = cluster.switcher().switchTo(undo.from(), cluster.before(),
          timeoutSeconds);
      System.out.printf(Locale.ROOT, "switch to verified %.1f s%n", result.seconds());
      if (!result.switched()) {
        return ExitStatus.FAILED;
      }
      log.append(new DeploymentLog.Entry(DeploymentLog.ROLLBACK, undo.to(), undo.from(),
          Instant.now().toString(), null)).save(admin, cluster.collection());
      System.out.printf("Rolled back '%s' to %s; logged in %s%n", cluster.collection(),
          undo.from(), log.property());
      return ExitStatus.OK;
    }
  }
}
