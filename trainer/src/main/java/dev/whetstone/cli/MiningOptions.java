package dev.whetstone.cli;

import dev.whetstone.filter.AuditLog;
import dev.whetstone.train.MiningConfig;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** Mining and false-negative options of {@code whetstone mine} and {@code whetstone train}. */
final class MiningOptions {
  @Option(names = "--depth", defaultValue = "100", description = "candidates per source (default: ${DEFAULT-VALUE})")
  int depth;

  @Option(names = "--window-from", defaultValue = "1",
      description = "rank window: first rank a negative may come from (default: ${DEFAULT-VALUE})")
  int windowFrom;

  @Option(names = "--window-to", defaultValue = "100",
      description = "rank window: last rank a negative may come from (default: ${DEFAULT-VALUE})")
  int windowTo;

  @Option(names = "--no-window", description = "switch the rank window off")
  boolean noWindow;

  @Mixin RelativeMarginOptions margin;

  @Option(names = "--teacher", defaultValue = MiningConfig.DEFAULT_TEACHER, description = "scores "
      + "the relative-margin and guide rules and the click noise model: a pretrained model, '" + MiningConfig.MODEL_AS_TEACHER
      + "' (the --model's own vectors) or '" + MiningConfig.NO_TEACHER + "' (default: "
      + "${DEFAULT-VALUE})")
  String teacher;

  @Option(names = "--no-guide", description = "switch off GISTEmbed in-batch masking (a batch "
      + "document the teacher scores above a query's positive is not its negative)")
  boolean noGuide;

  @Option(names = "--random-negatives", defaultValue = "0",
      description = "random corpus negatives per query, STAR (default: ${DEFAULT-VALUE})")
  int randomNegatives;

  @Option(names = "--hnsw", description = "dense mining through an HNSW graph instead of exact search")
  boolean hnsw;

  @Option(names = "--audit-mode", defaultValue = "sample", paramLabel = "sample|full",
      description = "the audit file of removed negatives: sample = exact counts per rule and up "
          + "to " + AuditLog.SAMPLE_PER_RULE + " removals per rule, gzip (audit.jsonl.gz); "
          + "full = every removal (audit.jsonl; millions of lines on a large data set) "
          + "(default: ${DEFAULT-VALUE})")
  String auditMode;

  MiningConfig config() {
    boolean noTeacher = teacher.equals(MiningConfig.NO_TEACHER);
    return new MiningConfig(depth, noWindow ? 0 : windowFrom, windowTo,
        noTeacher ? null : margin.margin(), teacher, !noGuide && !noTeacher,
        randomNegatives, hnsw, AuditLog.Mode.parse(auditMode));
  }
}
