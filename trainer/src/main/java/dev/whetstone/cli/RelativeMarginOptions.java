package dev.whetstone.cli;

import picocli.CommandLine.Option;

/**
 * The positive-aware margin of mining ({@code mine} and {@code train}, through
 * {@link MiningOptions}) and of {@code calibrate}.
 */
final class RelativeMarginOptions {
  @Option(names = "--relative-margin", defaultValue = "0.05", description = "positive-aware "
      + "margin, as sentence-transformers' relative_margin: an unjudged candidate scored above "
      + "(1 - this) x the query's positive (by the teacher when mining, by the model in "
      + "calibrate) is left out, not taught as irrelevant (default: ${DEFAULT-VALUE})")
  float relativeMargin;

  @Option(names = "--no-relative-margin", description = "switch the positive-aware margin off: "
      + "every unjudged candidate may be a negative")
  boolean noRelativeMargin;

  /** The margin, or null when switched off. */
  Float margin() {
    return noRelativeMargin ? null : relativeMargin;
  }
}
