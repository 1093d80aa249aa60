package dev.whetstone.rollout;

import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.common.cloud.DocCollection;

/**
 * Rolls a new document model out behind an alias (full mode): publish the model to the file
 * store, create {@code C_<fingerprint prefix>} from the serving collection's configset and shape
 * with that model recorded at CREATE, then {@link FullRollout} (copy, catch-up, online gate on the
 * new collection, fence, swap), and log the deployment on the new collection. A rerun after a
 * crash resumes (same target name, same work dir).
 */
public final class DocumentModelRollout {
  /** Copy threads, batch, catch-up margin and threshold, passes; the engine's defaults. */
  private static final int BATCH = 100;
  private static final Duration MARGIN = Duration.ofSeconds(5);
  private static final int QUIET_BELOW = 50;
  private static final int MAX_PASSES = 10;

  /**
   * @param keep previous collections kept behind the alias (1: the one a rollback goes back to)
   * @param threads parallel senders of the copy
   * @param workDir where the copy's checkpoint lives (a rerun with it resumes)
   */
  public record Settings(QueryTowerRollout.Settings rollout, int keep, int threads, Path workDir) {}

  private final SolrAdmin admin;
  private final Settings settings;
  private final PrintStream out;

  public DocumentModelRollout(SolrAdmin admin, Settings settings, PrintStream out) {
    this.admin = admin;
    this.settings = settings;
    this.out = out;
  }

  /** Moves {@code alias} to a new collection embedded by the document model in {@code model}. */
  public QueryTowerRollout.Outcome run(String alias, Path model, QueryTowerRollout.GateQueries gate)
      throws Exception {
    ModelDirectory candidate = ModelDirectory.open(model);
    ModelManifest manifest = candidate.manifest();
    String source = admin.resolve(alias);
    if (source.equals(alias)) {
      throw new IllegalArgumentException("'" + alias + "' is a collection, not an alias: a new "
          + "document model takes over the name clients use, which must be an alias (collections "
          + alias + "_v1, ... behind it; docs/rollout.md says why and how to move to one)");
    }
    String fingerprint = manifest.fingerprint();
    String target = alias + "_" + fingerprint.substring(0, 8);
    String modelName = settings.rollout().modelName();
    new ModelPublisher(admin.solrUrl(), out).publish(model, admin.replicas(source).stream()
        .map(SolrAdmin.Replica::baseUrl).distinct().toList());

    DocCollection serving = admin.cloudClient().getClusterStateProvider().getState(source).get();
    FullRollout.TargetCollection create = collection -> {
      out.printf("Creating '%s' (configset %s, %d shards x %d replicas) for document model %s%n",
          collection, serving.getConfigName(), serving.getSlices().size(),
          serving.getReplicationFactor(), fingerprint);
      CollectionAdminRequest.createCollection(collection, serving.getConfigName(),
              serving.getSlices().size(), serving.getReplicationFactor())
          .withProperty("whetstone." + modelName + ".documentModel", fingerprint)
          .process(admin.cloudClient());
    };
    AtomicReference<OnlineGate.Verdict> verdict = new AtomicReference<>();
    FullRollout.Gate onlineGate = collection -> {
      if (gate == null) {
        out.println("No judged queries: online gate skipped, the new collection was not compared "
            + "with the serving one");
        return true;
      }
      try (Encoder encoder = Encoder.load(candidate)) {
        verdict.set(new OnlineGate(admin.client(), source, collection,
            settings.rollout().field(), modelName, out)
            .run(encoder, gate.texts(), gate.qrels(), settings.rollout().gateConfidence(),
                settings.rollout().maxRegression()));
      }
      return verdict.get().passed();
    };
    try (Http2SolrClient nodes = new Http2SolrClient.Builder().build()) {
      try {
        engine(nodes).rollout(alias, target, create, onlineGate);
      } catch (IllegalStateException e) {
        if (verdict.get() != null && !verdict.get().passed()) {
          out.printf("Refused by the online gate: '%s' still serves collection '%s'; '%s' is left "
              + "for a look (delete it, or rerun with the same --work-dir)%n", alias, source, target);
          return QueryTowerRollout.Outcome.GATE_REFUSED;
        }
        throw e;
      }
    }
    // the alias's history goes with it: the serving collection's log, this roll-out appended
    DeploymentLog.read(admin, source, modelName)
        .append(new DeploymentLog.Entry(DeploymentLog.FULL, source, target,
            Instant.now().toString(), verdict.get() == null ? null : verdict.get().summary()))
        .save(admin, target);
    out.printf("Deployed document model %s: '%s' now serves collection '%s' (was '%s'); logged "
        + "in %s of '%s'%n", fingerprint, alias, target, source,
        DeploymentLog.property(modelName), target);
    return QueryTowerRollout.Outcome.DEPLOYED;
  }

  /**
   * Moves {@code alias} back to the collection it served before the full roll-out {@code log}
   * has in effect, and logs the rollback in that collection's {@code log} (the alias's history
   * goes with it, as at a roll-out).
   */
  public void rollback(String alias, DeploymentLog log) throws Exception {
    DeploymentLog.Entry undone = log.inEffect();
    try (Http2SolrClient nodes = new Http2SolrClient.Builder().build()) {
      engine(nodes).rollback(alias, undone.from());
    }
    log.append(new DeploymentLog.Entry(DeploymentLog.ROLLBACK, undone.to(), undone.from(),
        Instant.now().toString(), null)).save(admin, undone.from());
  }

  private FullRollout engine(Http2SolrClient nodes) {
    return new FullRollout(admin.cloudClient(), nodes, new FullRollout.Settings(
        settings.rollout().field(), settings.threads(), BATCH, MARGIN, QUIET_BELOW, MAX_PASSES,
        settings.keep(), Duration.ofSeconds(settings.rollout().timeoutSeconds()),
        settings.workDir()), out);
  }
}
