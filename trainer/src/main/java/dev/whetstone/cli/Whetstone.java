package dev.whetstone.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code whetstone} command line. */
@Command(name = "whetstone", mixinStandardHelpOptions = true, version = "whetstone 0.1.0",
    description = "Train and serve dense retrievers inside Apache Solr.",
    subcommands = {ModelCommand.class, DemoCommand.class, BenchCommand.class, MineCommand.class, TrainCommand.class})
public final class Whetstone implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(new CommandLine(new Whetstone()).execute(args));
  }
}
