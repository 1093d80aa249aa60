package dev.whetstone.rollout;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;

/**
 * A new document model reaches production as a new collection: old and new vectors never mix in
 * one collection. The name clients use (alias {@code C}; see {@link AliasSwap} for why it cannot
 * be a collection's name) moves to a new collection {@code C_<version>} created from the same
 * configset with the new model:
 *
 * <ol>
 *   <li>create the target ({@link TargetCollection}, with its model);
 *   <li>{@link CollectionCopy}: every document of the serving collection through the target's own
 *       update chain, which embeds it with the new model (resumable);
 *   <li>{@link CatchUp} passes while clients keep writing to {@code C}, until one finds fewer
 *       changes than a threshold;
 *   <li>the online gate on the target; a refusal stops here, with the source untouched;
 *   <li>{@link WriteFence} on the source (writers get 403 and retry), a final, exact pass;
 *   <li>{@link AliasSwap}: {@code C} -> target on every live node; writes flow again;
 *   <li>the source stays, read-only, for a rollback; generations beyond {@code keep} are deleted.
 * </ol>
 *
 * <p>Why not Solr's REINDEXCOLLECTION (9.10.1): it sets the source read-only for the whole copy
 * (writes refused for as long as re-embedding the corpus takes, here the dominant cost), copies
 * with a streaming-expression daemon ({@code update(target, topic(checkpoint collection,
 * source, fl="*"))}) through the target's default chain with the source's stored fields as they
 * are: with the default {@code fl=*} the stored vector travels too and the embedding processor
 * keeps it (skipExisting), so nothing would be re-embedded unless {@code fl} lists the fields by
 * hand; it needs the {@code _default} configset for its checkpoint collection; and it has no
 * gate between the copy and the alias and no way back other than the kept source.
 */
public final class FullRollout {
  /** Creates the new collection, from the serving collection's configset, with the new model. */
  @FunctionalInterface
  public interface TargetCollection {
    void create(String collection) throws Exception;
  }

  /** The online gate on the new collection: true to go ahead with the swap. */
  @FunctionalInterface
  public interface Gate {
    boolean passes(String collection) throws Exception;
  }

  /** How the engine runs. */
  public record Settings(String vectorField, int threads, int batchSize, Duration margin,
      long quietBelow, int maxPasses, int keep, Duration timeout, Path workDir) {
    public Settings {
      if (keep < 1) {
        throw new IllegalArgumentException("--keep must be >= 1 (the previous collection is the "
            + "rollback target), got " + keep);
      }
      if (maxPasses < 1) {
        throw new IllegalArgumentException("max passes must be >= 1, got " + maxPasses);
      }
    }
  }

  /** What a roll-out or rollback did. */
  public record Outcome(String alias, String from, String to, CollectionCopy.Result copy,
      List<CatchUp.Pass> passes, CatchUp.Pass fencedPass, double fenceSeconds,
      List<String> deleted) {
    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%s: %s -> %s; %s; catch-up %s; fenced %s; writes refused "
          + "for %.1f s; deleted %s", alias, from, to, copy == null ? "no copy" : copy, passes,
          fencedPass, fenceSeconds, deleted);
    }
  }

  private final CloudSolrClient client;
  private final Settings settings;
  private final PrintStream log;
  private final WriteFence fence;
  private final AliasSwap swap;

  /** @param nodes a client used with each node's URL (fence and swap checks) */
  public FullRollout(CloudSolrClient client, Http2SolrClient nodes, Settings settings,
      PrintStream log) {
    this.client = client;
    this.settings = settings;
    this.log = log;
    this.fence = new WriteFence(client, nodes, settings.timeout());
    this.swap = new AliasSwap(client, nodes, settings.timeout());
  }

  /**
   * Moves {@code alias} to the new collection {@code target}: created by {@code create} unless a
   * checkpoint in the work dir shows an interrupted run of this same roll-out to resume.
   */
  public Outcome rollout(String alias, String target, TargetCollection create, Gate gate)
      throws Exception {
    if (client.getClusterStateProvider().getState(alias) != null) {
      throw new IllegalArgumentException(alias + " is a collection, not an alias (see AliasSwap)");
    }
    String source = swap.resolve(alias);
    Generations generations = Generations.read(swap.aliases(), alias, source);
    CollectionCopy copy = new CollectionCopy(client, source, target, settings.vectorField(),
        settings.workDir(), settings.threads(), settings.batchSize(), log, settings.margin());
    boolean exists = client.getClusterStateProvider().getState(target) != null;
    if (exists && !copy.hasCheckpoint()) {
      throw new IllegalStateException("collection " + target + " exists, but " + settings.workDir()
          + " has no copy checkpoint from " + source + " to it: delete it, or use the work dir of"
          + " the interrupted roll-out");
    }
    if (!exists) {
      create.create(target);
    }
    CollectionCopy.Result copied = copy.run();
    CatchUp catchUp = catchUp(source, target, copied.sourceVersions());
    catchUp.alreadySent(copied.recentVersions());
    List<CatchUp.Pass> passes = catchUp.untilFewerThan(settings.quietBelow(), settings.maxPasses());
    if (!gate.passes(target)) {
      throw new IllegalStateException("the online gate refused " + target + "; " + alias
          + " still serves " + source + ", which was never fenced; " + target + " is left for a look");
    }
    Fenced fenced = fenceAndSwap(alias, source, target, catchUp);
    Generations next = generations.servedBy(target, fenced.targetVersions());
    List<String> deleted = new ArrayList<>(next.beyond(settings.keep()));
    next = next.without(deleted);
    next.write(client, alias);
    for (String old : deleted) {
      log.println("deleting " + old + " (beyond --keep " + settings.keep() + ")");
      CollectionAdminRequest.deleteCollection(old).process(client);
    }
    copy.deleteCheckpoint();
    Outcome outcome = new Outcome(alias, source, target, copied, passes, fenced.pass(),
        fenced.seconds(), deleted);
    log.println("roll-out done: " + outcome);
    return outcome;
  }

  /**
   * Moves {@code alias} back to {@code previous}, the collection it served before the serving one:
   * that one is made writable, caught up from the serving one (its own chain embeds the changes
   * with the old model), the serving one is fenced, a final pass, the swap back. The rolled-back
   * collection stays fenced. Only one generation back: an older collection missed the writes
   * made since it was fenced, which the recorded version markers no longer reach.
   */
  public Outcome rollback(String alias, String previous) throws Exception {
    String current = swap.resolve(alias);
    Generations generations = Generations.read(swap.aliases(), alias, current);
    if (generations.collections().size() < 2) {
      throw new RolloutException("alias " + alias + " records no collection before " + current
          + " (" + Generations.LIST + "): nothing to roll back to");
    }
    String before = generations.collections().get(1);
    if (!before.equals(previous)) {
      throw new RolloutException("alias " + alias + " came to " + current + " from " + before
          + " (" + Generations.LIST + "), not from " + previous + ": " + previous
          + (generations.collections().contains(previous)
              ? " missed the writes made since it was fenced, which a catch-up cannot reach"
              : " is no longer kept behind the alias (--keep)")
          + "; deploy its model again instead (a full copy)");
    }
    ShardVersions since = generations.swapVersions();
    if (since == null || !since.collection().equals(current)) {
      throw new IllegalStateException("alias " + alias + " records no version markers of " + current
          + " from its swap (" + Generations.SWAP_VERSIONS + "=" + since + ")");
    }
    fence.lift(previous);
    CatchUp catchUp = catchUp(current, previous, since);
    List<CatchUp.Pass> passes = catchUp.untilFewerThan(settings.quietBelow(), settings.maxPasses());
    Fenced fenced = fenceAndSwap(alias, current, previous, catchUp);
    generations.servedBy(previous, fenced.targetVersions()).write(client, alias);
    Outcome outcome = new Outcome(alias, current, previous, null, passes, fenced.pass(),
        fenced.seconds(), List.of());
    log.println("rollback done: " + outcome);
    return outcome;
  }

  private record Fenced(CatchUp.Pass pass, double seconds, ShardVersions targetVersions) {}

  /**
   * Fences {@code source}, runs the final pass, records the target's markers (it takes no writes
   * but ours until the swap) and swaps; returns how long writers through the alias were refused.
   */
  private Fenced fenceAndSwap(String alias, String source, String target, CatchUp catchUp)
      throws Exception {
    long fencedAt = System.nanoTime();
    fence.fence(source);
    CatchUp.Pass last = catchUp.pass();
    ShardVersions targetVersions = CatchUp.markers(client, target);
    swap.swap(alias, target);
    double seconds = (System.nanoTime() - fencedAt) / 1e9;
    log.printf(Locale.ROOT, "%s now serves %s; writes were refused for %.1f s%n", alias, target,
        seconds);
    return new Fenced(last, seconds, targetVersions);
  }

  private CatchUp catchUp(String source, String target, ShardVersions since) throws Exception {
    return new CatchUp(client, source, target, settings.vectorField(), since, settings.threads(),
        settings.batchSize(), settings.margin(), log);
  }
}
