/**
 * The {@code whetstone} command line (picocli): {@link dev.whetstone.cli.Whetstone} and its
 * subcommands for model import, demo, benchmarks, mining, training, click logs, calibration,
 * deploy and rollback, with the option groups they share. Commands turn options into the configs
 * and jobs of the other packages and map their outcome to the exit statuses in
 * {@link dev.whetstone.cli.ExitStatus}, for a scheduler to act on.
 */
package dev.whetstone.cli;
