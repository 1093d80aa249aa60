package dev.whetstone.cli;

import dev.whetstone.rollout.DocumentModelRollout;
import dev.whetstone.rollout.QueryTowerRollout;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** A new document model's roll-out: a new collection behind the alias (full mode). */
final class FullModeOptions {
  @Option(names = "--keep", defaultValue = "1", description = "full mode: previous collections "
      + "kept behind the alias, read-only, the newest for a rollback; older ones are deleted "
      + "(default: ${DEFAULT-VALUE})")
  int keep;

  @Option(names = "--threads", defaultValue = "4",
      description = "full mode: parallel senders re-embedding the corpus (default: ${DEFAULT-VALUE})")
  int threads;

  @Option(names = "--work-dir", paramLabel = "DIR", description = "full mode: where the copy's "
      + "checkpoint is kept; rerun with the same one to resume (default: "
      + "~/.cache/whetstone/rollout/ALIAS)")
  Path workDir;

  DocumentModelRollout.Settings settings(QueryTowerRollout.Settings rollout, String alias) {
    Path dir = workDir != null ? workDir
        : Path.of(System.getProperty("user.home"), ".cache", "whetstone", "rollout", alias);
    return new DocumentModelRollout.Settings(rollout, keep, threads, dir);
  }
}
