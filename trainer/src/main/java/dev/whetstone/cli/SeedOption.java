package dev.whetstone.cli;

import picocli.CommandLine.Option;

/** {@code --seed} of {@code mine}, {@code train}, {@code calibrate} and {@code clicks simulate}. */
final class SeedOption {
  @Option(names = "--seed", defaultValue = "42", description = "makes a run repeatable (default: ${DEFAULT-VALUE})")
  long seed;
}
