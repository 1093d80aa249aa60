package dev.whetstone.cli;

import dev.whetstone.console.LogFile;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import picocli.CommandLine.Option;

/** {@code --verbose}, and where a command's library logging goes without it. */
final class LoggingOptions {
  @Option(names = "--verbose",
      description = "also show Solr's, ZooKeeper's and the other libraries' log on the console")
  boolean verbose;

  /** Sends the libraries' log to {@code file} (and, verbose, to the console); says where. */
  void redirectTo(Path file) throws IOException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    LogFile.redirect(file, verbose);
    System.err.println("Log: " + file.toAbsolutePath() + (verbose ? "" : " (--verbose shows it here)"));
  }
}
