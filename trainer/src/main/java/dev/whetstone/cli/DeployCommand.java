package dev.whetstone.cli;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.Qrels;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.rollout.DeploymentLog;
import dev.whetstone.rollout.ModelPublisher;
import dev.whetstone.rollout.OnlineGate;
import dev.whetstone.rollout.QueryTowerSwitch;
import dev.whetstone.rollout.QueryTowerSwitch.ReplicaState;
import dev.whetstone.rollout.SolrAdmin;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code whetstone deploy}: rolls a query tower out to every replica of a live collection through
 * Solr alone: publish to the file store, online gate, switch, verify, and switch back on failure.
 */
@Command(name = "deploy", mixinStandardHelpOptions = true,
    description = "Roll a query tower (whetstone train --mode query-tower) out to every replica "
        + "of a live SolrCloud collection: publish it to Solr's file store, compare it with the "
        + "serving tower on judged queries sent to the collection (--data), switch the collection "
        + "property whetstone.NAME.queryModel and wait until every replica serves it; on a "
        + "refusal or timeout, switch back. Exit status 0 deployed, 1 failed (switched back), "
        + "2 bad input, 5 refused by the online gate.")
final class DeployCommand implements Callable<Integer> {
  @Mixin RolloutOptions rollout;

  @Option(names = "--model", required = true, paramLabel = "DIR",
      description = "the query tower's model directory")
  Path model;

  @Option(names = "--field", defaultValue = "vector",
      description = "the collection's vector field (default: ${DEFAULT-VALUE})")
  String field;

  @Option(names = "--data", paramLabel = "DIR", description = "BEIR data set folder whose judged "
      + "queries gate the roll-out (default: none, the online gate is skipped)")
  Path data;

  @Option(names = "--split", defaultValue = "test",
      description = "qrels split of the gate's queries (default: ${DEFAULT-VALUE})")
  String split;

  @Option(names = "--queries", defaultValue = "0",
      description = "gate on the first N judged queries (0: all)")
  int queries;

  @Option(names = "--gate-confidence", defaultValue = "0.95", description = "refuse when a "
      + "one-sided paired t-test over the queries' nDCG@10 says the candidate is worse with this "
      + "confidence (default: ${DEFAULT-VALUE})")
  double gateConfidence;

  @Option(names = "--max-regression", defaultValue = "0.01", description = "refuse when mean "
      + "nDCG@10 drops by more than this, significant or not (default: ${DEFAULT-VALUE})")
  double maxRegression;

  @Override
  public Integer call() throws Exception {
    ModelDirectory candidate = ModelDirectory.open(model); // checks the fingerprint, naming the file
    ModelManifest manifest = candidate.manifest();
    if (manifest.documentTowerFingerprint() == null) {
      throw new IllegalArgumentException(model + " embeds documents too (its manifest names no "
          + "documentTowerFingerprint): a new document model needs a new collection, re-embedded, "
          + "then an alias swap, which is full mode (deploy --mode full), built separately; "
          + "this command rolls out query towers only");
    }
    long timeoutSeconds = rollout.timeoutSeconds();
    Gate gate = data == null ? null : Gate.read(data, split, queries);
    try (SolrAdmin admin = new SolrAdmin(rollout.solr.url)) {
      RolloutOptions.Cluster cluster = rollout.read(admin);
      checkPairing(cluster.before(), manifest);
      String to = manifest.fingerprint();
      if (to.equals(cluster.serving())) {
        System.out.printf("Every replica of '%s' already serves %s: nothing to do%n",
            cluster.collection(), to);
        return ExitStatus.OK;
      }
      double publishSeconds = new ModelPublisher(admin.solrUrl(), System.out).publish(model,
          cluster.before().stream().map(state -> state.replica().baseUrl()).distinct().toList());

      OnlineGate.Verdict verdict = null;
      if (gate == null) {
        System.out.println("No --data: online gate skipped, the candidate was not compared with "
            + "the serving tower");
      } else {
        try (Encoder encoder = Encoder.load(candidate)) {
          verdict = new OnlineGate(admin.client(), cluster.collection(), field,
              rollout.modelName, System.out)
              .run(encoder, gate.texts, gate.qrels, gateConfidence, maxRegression);
        }
        if (!verdict.passed()) {
          System.out.printf("Refused by the online gate: '%s' still serves %s%n",
              cluster.collection(), cluster.serving());
          return ExitStatus.GATE_REFUSED;
        }
      }

      QueryTowerSwitch.Result result = cluster.switcher().switchTo(to, cluster.before(),
          timeoutSeconds);
      System.out.printf(Locale.ROOT, "publish %.1f s, gate %s, switch to verified %.1f s%n",
          publishSeconds, verdict == null ? "skipped"
              : String.format(Locale.ROOT, "%.1f s", verdict.seconds()), result.seconds());
      if (!result.switched()) {
        return ExitStatus.FAILED;
      }
      DeploymentLog.read(admin, cluster.collection(), rollout.modelName)
          .append(new DeploymentLog.Entry(DeploymentLog.QUERY_TOWER, result.from(), to,
              Instant.now().toString(), verdict == null ? null : verdict.summary()))
          .save(admin, cluster.collection());
      System.out.printf("Deployed %s to '%s'; logged in %s%n", to, cluster.collection(),
          DeploymentLog.property(rollout.modelName));
      return ExitStatus.OK;
    }
  }

  /** Fails before anything is published when the tower was not trained for these vectors. */
  private static void checkPairing(List<ReplicaState> replicas, ModelManifest manifest) {
    for (ReplicaState replica : replicas) {
      if (!manifest.documentTowerFingerprint().equals(replica.documentModel())) {
        throw new IllegalArgumentException("the query tower pairs with document model "
            + manifest.documentTowerFingerprint() + ", but replica " + replica.replica()
            + " holds vectors of document model " + replica.documentModel());
      }
    }
  }

  /** The gate's judged queries: the first {@code limit} of the split (0: all). */
  private record Gate(Map<String, String> texts, Qrels qrels) {
    static Gate read(Path data, String split, int limit) throws IOException {
      BeirDataset dataset = BeirDataset.open(data);
      Qrels all = dataset.qrels(split);
      Map<String, Map<String, Integer>> judged = new LinkedHashMap<>();
      for (String id : all.queryIds()) {
        if (limit > 0 && judged.size() == limit) {
          break;
        }
        judged.put(id, all.judgments(id));
      }
      return new Gate(dataset.queries(), new Qrels(judged));
    }
  }
}
