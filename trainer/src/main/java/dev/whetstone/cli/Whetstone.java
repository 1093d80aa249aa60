package dev.whetstone.cli;

import dev.whetstone.rollout.RolloutException;
import java.io.IOException;
import java.nio.file.NoSuchFileException;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code whetstone} command line. */
@Command(name = "whetstone", mixinStandardHelpOptions = true, version = "whetstone 0.1.0",
    description = "Train and serve dense retrievers inside Apache Solr.",
    subcommands = {ModelCommand.class, DemoCommand.class, BenchCommand.class, MineCommand.class,
        TrainCommand.class, ClicksCommand.class, CalibrateCommand.class, DeployCommand.class,
        RollbackCommand.class})
public final class Whetstone implements Runnable {
  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }

  public static void main(String[] args) {
    System.exit(commandLine().execute(args));
  }

  /** The command line with its exit statuses ({@link ExitStatus}): what main runs. */
  public static CommandLine commandLine() {
    CommandLine commandLine = new CommandLine(new Whetstone());
    // bad input (a missing file, a malformed line, an impossible setting) is one line that names
    // it, not a stack trace; anything else keeps its trace
    commandLine.setExecutionExceptionHandler((e, cmd, parsed) -> {
      if (e instanceof IllegalArgumentException || e instanceof NoSuchFileException
          || e instanceof IOException && e.getMessage() != null && e.getCause() == null) {
        String message = e instanceof NoSuchFileException missing
            ? "no such file: " + missing.getFile()
                + (missing.getReason() == null ? "" : " (" + missing.getReason() + ")")
            : e.getMessage();
        cmd.getErr().println("whetstone " + cmd.getCommandName() + ": " + message);
        return ExitStatus.BAD_INPUT;
      }
      if (e instanceof RolloutException) {
        cmd.getErr().println("whetstone " + cmd.getCommandName() + ": " + e.getMessage());
        return ExitStatus.FAILED;
      }
      throw e;
    });
    return commandLine;
  }
}
