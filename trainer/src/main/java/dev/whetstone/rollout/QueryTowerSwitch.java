package dev.whetstone.rollout;

import dev.whetstone.rollout.SolrAdmin.Replica;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Switches the query tower of one model of a collection by its collection property {@code
 * whetstone.NAME.queryModel}, then reads every active replica's metrics until each reports the new
 * fingerprint. A refusal or a timeout switches back: the property is restored (removed when it was
 * absent) and the replicas are read until each is back on the fingerprint it served before.
 */
public final class QueryTowerSwitch {
  private static final long POLL_MILLIS = 250;

  private final SolrAdmin admin;
  private final String collection;
  private final String model;
  private final PrintStream out;

  /** What one replica's core reports; {@code error} set when its metrics could not be read. */
  public record ReplicaState(Replica replica, String documentModel, String queryModel,
      String refused, long refusals, String error) {
    @Override
    public String toString() {
      if (error != null) {
        return replica + ": " + error;
      }
      return replica + ": query model " + queryModel
          + (refused == null || refused.isEmpty() ? "" : ", last refusal: " + refused);
    }
  }

  /**
   * @param switched whether every replica reports the target; when not, they were switched back
   * @param seconds from setting the property until every replica reported the target (or gave up)
   * @param states each replica as last read, before any switch back
   */
  public record Result(boolean switched, String from, String to, double seconds,
      List<ReplicaState> states, String failure) {}

  /**
   * @param collection a collection (not an alias): the property and the replicas are its own
   * @param model the model's name in the configset's registry, e.g. {@code minilm}
   */
  public QueryTowerSwitch(SolrAdmin admin, String collection, String model, PrintStream out) {
    this.admin = admin;
    this.collection = collection;
    this.model = model;
    this.out = out;
  }

  public static String property(String model) {
    return "whetstone." + model + ".queryModel";
  }

  /** The replicas whose metrics are read: the active ones (the others are named, not waited for). */
  public List<Replica> activeReplicas() throws IOException {
    List<Replica> active = new ArrayList<>();
    for (Replica replica : admin.replicas(collection)) {
      if (replica.active()) {
        active.add(replica);
      } else {
        out.printf("  replica %s is %s: not checked%n", replica, replica.state());
      }
    }
    if (active.isEmpty()) {
      throw new IOException("collection '" + collection + "' has no active replica");
    }
    return active;
  }

  /** Each replica's state now. */
  public List<ReplicaState> read(List<Replica> replicas) {
    List<ReplicaState> states = new ArrayList<>();
    String prefix = "OTHER.embeddings." + model + ".";
    for (Replica replica : replicas) {
      try {
        Map<String, Object> m = admin.coreMetrics(replica, prefix);
        Object queryModel = m.get(prefix + "queryModel");
        if (queryModel == null) {
          states.add(new ReplicaState(replica, null, null, null, 0, "no metric " + prefix
              + "queryModel (is model '" + model + "' declared in the configset, and the plugin "
              + "recent enough to switch query towers?)"));
          continue;
        }
        Object refusals = m.get(prefix + "queryModelRefusals");
        states.add(new ReplicaState(replica, string(m.get(prefix + "documentModel")),
            queryModel.toString(), string(m.get(prefix + "queryModelRefused")),
            refusals instanceof Number n ? n.longValue() : 0, null));
      } catch (IOException e) {
        states.add(new ReplicaState(replica, null, null, null, 0, e.getMessage()));
      }
    }
    return states;
  }

  /**
   * The fingerprint every replica serves now; fails naming the replicas when one cannot be read
   * or they disagree (a switch in progress, or one left half done).
   */
  public static String serving(List<ReplicaState> states) throws RolloutException {
    Map<String, List<String>> byFingerprint = new LinkedHashMap<>();
    for (ReplicaState s : states) {
      if (s.error() != null) {
        throw new RolloutException("replica " + s);
      }
      byFingerprint.computeIfAbsent(s.queryModel(), k -> new ArrayList<>()).add(s.replica().toString());
    }
    if (byFingerprint.size() != 1) {
      throw new RolloutException("the replicas serve different query models: " + byFingerprint);
    }
    return byFingerprint.keySet().iterator().next();
  }

  /**
   * Sets the property to {@code fingerprint} and waits up to {@code timeoutSeconds} for every
   * replica in {@code before} (their states before the switch, all serving one fingerprint) to
   * report it; switches back on a refusal or timeout.
   */
  public Result switchTo(String fingerprint, List<ReplicaState> before, long timeoutSeconds)
      throws IOException, InterruptedException, RolloutException {
    String from = serving(before);
    String previous = admin.collectionProperty(collection, property(model));
    out.printf("Switching %s of '%s' to %s (was %s)%n", property(model), collection,
        fingerprint, previous == null ? "unset, serving " + from : previous);
    long start = System.nanoTime();
    admin.setCollectionProperty(collection, property(model), fingerprint);
    Wait wait = await(fingerprint, before, timeoutSeconds);
    double seconds = (System.nanoTime() - start) / 1e9;
    print(wait.states);
    if (wait.failure == null) {
      out.printf(Locale.ROOT, "Every replica (%d) serves %s: %.1f s after the switch%n",
          before.size(), fingerprint, seconds);
      return new Result(true, from, fingerprint, seconds, wait.states, null);
    }
    out.println("Switch failed: " + wait.failure);
    out.printf("Switching back: %s %s%n", property(model), previous == null ? "removed" : "= " + previous);
    admin.setCollectionProperty(collection, property(model), previous);
    Wait back = await(from, wait.states, timeoutSeconds);
    print(back.states);
    out.println(back.failure == null ? "Every replica serves " + from + " again"
        : "NOT every replica is back on " + from + ": " + back.failure);
    return new Result(false, from, fingerprint, seconds, wait.states, wait.failure);
  }

  private record Wait(List<ReplicaState> states, String failure) {}

  /**
   * Reads the replicas until all report {@code target}; a refusal of {@code target} counted after
   * {@code before} (so an old refusal of the same bytes does not count) ends the wait at once.
   */
  private Wait await(String target, List<ReplicaState> before, long timeoutSeconds)
      throws InterruptedException {
    List<Replica> replicas = before.stream().map(ReplicaState::replica).toList();
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(timeoutSeconds);
    while (true) {
      List<ReplicaState> now = read(replicas);
      List<String> refused = new ArrayList<>();
      for (int i = 0; i < now.size(); i++) {
        ReplicaState s = now.get(i);
        if (s.error() == null && s.refusals() > before.get(i).refusals() && s.refused() != null
            && s.refused().startsWith(target)) {
          refused.add(s.replica() + " refused it: " + s.refused());
        }
      }
      if (!refused.isEmpty()) {
        return new Wait(now, String.join("; ", refused));
      }
      if (now.stream().allMatch(s -> target.equals(s.queryModel()))) {
        return new Wait(now, null);
      }
      if (System.nanoTime() > deadline) {
        long behind = now.stream().filter(s -> !target.equals(s.queryModel())).count();
        return new Wait(now, behind + " of " + now.size() + " replicas did not report " + target
            + " within " + timeoutSeconds + " s");
      }
      Thread.sleep(POLL_MILLIS);
    }
  }

  private void print(List<ReplicaState> states) {
    for (ReplicaState s : states) {
      out.println("  " + s);
    }
  }

  private static String string(Object value) {
    return value == null ? null : value.toString();
  }
}
