package dev.whetstone.rollout;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.Qrels;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.rollout.QueryTowerSwitch.ReplicaState;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Rolls a query tower out to every replica of a live collection through Solr alone: publish to the
 * file store, online gate, switch, verify (switching back on a refusal or timeout), log. What
 * {@code whetstone deploy} and {@code whetstone train --deploy} run.
 */
public final class QueryTowerRollout {
  /** How a roll-out ended. */
  public enum Outcome { DEPLOYED, UNCHANGED, GATE_REFUSED, FAILED }

  /**
   * @param modelName the model's name in the collection's configset
   * @param field the vector field the gate's {@code {!knn}} requests search
   * @param gateConfidence refuse when the candidate is worse with this one-sided confidence
   * @param maxRegression refuse when mean nDCG@10 drops by more than this
   * @param timeoutSeconds how long every replica has to report the new tower
   */
  public record Settings(String modelName, String field, double gateConfidence,
      double maxRegression, long timeoutSeconds) {}

  /** The collection and its replicas as they are now, before anything changes. */
  public record Cluster(String collection, QueryTowerSwitch switcher, List<ReplicaState> before,
      String serving) {
    /** Reads {@code name} (a collection or an alias of one) and what its replicas serve. */
    public static Cluster read(SolrAdmin admin, String name, String modelName, PrintStream out)
        throws IOException, RolloutException {
      String collection = admin.resolve(name);
      if (!collection.equals(name)) {
        out.printf("'%s' is an alias of collection '%s'%n", name, collection);
      }
      QueryTowerSwitch switcher = new QueryTowerSwitch(admin, collection, modelName, out);
      List<ReplicaState> before = switcher.read(switcher.activeReplicas());
      return new Cluster(collection, switcher, before, QueryTowerSwitch.serving(before));
    }
  }

  /** The gate's judged queries: the first {@code limit} of a split (0: all). */
  public record GateQueries(Map<String, String> texts, Qrels qrels) {
    public static GateQueries read(Path data, String split, int limit) throws IOException {
      BeirDataset dataset = BeirDataset.open(data);
      Qrels all = dataset.qrels(split);
      Map<String, Map<String, Integer>> judged = new LinkedHashMap<>();
      for (String id : all.queryIds()) {
        if (limit > 0 && judged.size() == limit) {
          break;
        }
        judged.put(id, all.judgments(id));
      }
      return new GateQueries(dataset.queries(), new Qrels(judged));
    }
  }

  private final SolrAdmin admin;
  private final Settings settings;
  private final PrintStream out;

  public QueryTowerRollout(SolrAdmin admin, Settings settings, PrintStream out) {
    this.admin = admin;
    this.settings = settings;
    this.out = out;
  }

  /**
   * Rolls {@code model} (a query-only model directory) out to {@code collection}; {@code gate}
   * null skips the online gate, with a line saying so.
   */
  public Outcome run(String collection, Path model, GateQueries gate)
      throws IOException, InterruptedException, RolloutException {
    ModelDirectory candidate = ModelDirectory.open(model); // checks the fingerprint, naming the file
    ModelManifest manifest = candidate.manifest();
    if (manifest.documentTowerFingerprint() == null) {
      throw new IllegalArgumentException(model + " embeds documents too (its manifest names no "
          + "documentTowerFingerprint): a new document model needs a new collection, re-embedded, "
          + "then an alias swap; this roll-out switches query towers only");
    }
    Cluster cluster = Cluster.read(admin, collection, settings.modelName(), out);
    checkPairing(cluster.before(), manifest);
    String to = manifest.fingerprint();
    if (to.equals(cluster.serving())) {
      out.printf("Every replica of '%s' already serves %s: nothing to do%n", cluster.collection(), to);
      return Outcome.UNCHANGED;
    }
    double publishSeconds = new ModelPublisher(admin.solrUrl(), out).publish(model,
        cluster.before().stream().map(state -> state.replica().baseUrl()).distinct().toList());

    OnlineGate.Verdict verdict = null;
    if (gate == null) {
      out.println("No judged queries: online gate skipped, the candidate was not compared with "
          + "the serving tower");
    } else {
      try (Encoder encoder = Encoder.load(candidate)) {
        verdict = new OnlineGate(admin.client(), cluster.collection(), settings.field(),
            settings.modelName(), out)
            .run(encoder, gate.texts(), gate.qrels(), settings.gateConfidence(),
                settings.maxRegression());
      }
      if (!verdict.passed()) {
        out.printf("Refused by the online gate: '%s' still serves %s%n", cluster.collection(),
            cluster.serving());
        return Outcome.GATE_REFUSED;
      }
    }

    QueryTowerSwitch.Result result = cluster.switcher().switchTo(to, cluster.before(),
        settings.timeoutSeconds());
    out.printf(Locale.ROOT, "publish %.1f s, gate %s, switch to verified %.1f s%n",
        publishSeconds, verdict == null ? "skipped"
            : String.format(Locale.ROOT, "%.1f s", verdict.seconds()), result.seconds());
    if (!result.switched()) {
      return Outcome.FAILED;
    }
    DeploymentLog.read(admin, cluster.collection(), settings.modelName())
        .append(new DeploymentLog.Entry(DeploymentLog.QUERY_TOWER, result.from(), to,
            Instant.now().toString(), verdict == null ? null : verdict.summary()))
        .save(admin, cluster.collection());
    out.printf("Deployed %s to '%s'; logged in %s%n", to, cluster.collection(),
        DeploymentLog.property(settings.modelName()));
    return Outcome.DEPLOYED;
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
}
