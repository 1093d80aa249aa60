package dev.whetstone.cli;

import dev.whetstone.data.SplitRatios;
import picocli.CommandLine.Option;

/**
 * {@code --splits} of {@code train}, {@code calibrate} and {@code clicks simulate}: all three carve
 * the judged queries with {@link dev.whetstone.data.TrainingSplits#of}.
 */
final class SplitsOption {
  @Option(names = "--splits", paramLabel = "TRAIN/DEV/TEST", description = "carve all judged "
      + "queries (every qrels file) by query into train/dev/test, seeded by --seed, e.g. 60/20/20; "
      + "the same ratios and seed carve the same split in train, calibrate and clicks simulate. "
      + "Default: the data set's own files; a data set without qrels/train.tsv is carved "
      + "60/20/20")
  String splits;

  /** The ratios given, or null for the default. */
  SplitRatios ratios() {
    return splits == null ? null : SplitRatios.parse(splits);
  }
}
