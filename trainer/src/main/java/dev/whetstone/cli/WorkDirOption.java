package dev.whetstone.cli;

import dev.whetstone.workspace.ModelCache;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/**
 * {@code --work-dir} of {@code mine}, {@code calibrate} and {@code clicks simulate}: the caches they
 * share. {@code train}, {@code demo} and {@code deploy} declare their own, with other defaults.
 */
final class WorkDirOption {
  @Option(names = "--work-dir", paramLabel = "DIR", description = "caches shared by mine, "
      + "calibrate and clicks simulate: the embedding cache, and the BM25 index of mine and clicks "
      + "simulate (default: ~/.cache/whetstone/work)")
  Path workDir;

  /** The directory given, or {@code ~/.cache/whetstone/work}. */
  Path dir() {
    return workDir != null ? workDir : ModelCache.defaultDir().getParent().resolve("work");
  }
}
