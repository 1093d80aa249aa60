package dev.whetstone.console;

import java.nio.file.Path;
import org.apache.logging.log4j.Level;
import org.apache.logging.log4j.core.config.Configurator;
import org.apache.logging.log4j.core.config.builder.api.AppenderComponentBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilder;
import org.apache.logging.log4j.core.config.builder.api.ConfigurationBuilderFactory;
import org.apache.logging.log4j.core.config.builder.api.RootLoggerComponentBuilder;
import org.apache.logging.log4j.core.config.builder.impl.BuiltConfiguration;
import org.apache.logging.log4j.jul.Log4jBridgeHandler;

/**
 * Sends what the libraries log (Solr, ZooKeeper, Jetty, Jersey, Lucene, DJL; through log4j and
 * java.util.logging alike) to a file, so the console keeps the job's own output: progress,
 * tables, commands to try. Verbose runs also copy it to stderr.
 */
public final class LogFile {
  private LogFile() {}

  private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%t] %c{1.} %msg%n%throwable";

  /** From now on, everything logged at INFO or above goes to {@code file} (appended). */
  public static void redirect(Path file, boolean verbose) {
    ConfigurationBuilder<BuiltConfiguration> builder =
        ConfigurationBuilderFactory.newConfigurationBuilder();
    builder.setStatusLevel(Level.ERROR);
    AppenderComponentBuilder fileAppender = builder.newAppender("file", "File")
        .addAttribute("fileName", file.toAbsolutePath().toString())
        .addAttribute("append", true)
        .add(builder.newLayout("PatternLayout").addAttribute("pattern", PATTERN));
    builder.add(fileAppender);
    RootLoggerComponentBuilder root = builder.newRootLogger(Level.INFO)
        .add(builder.newAppenderRef("file"));
    if (verbose) {
      builder.add(builder.newAppender("stderr", "Console").addAttribute("target", "SYSTEM_ERR")
          .add(builder.newLayout("PatternLayout").addAttribute("pattern", PATTERN)));
      root.add(builder.newAppenderRef("stderr"));
    }
    builder.add(root);
    Configurator.reconfigure(builder.build());
    // java.util.logging's console handler goes; its records reach the loggers above
    Log4jBridgeHandler.install(true, null, true);
  }
}
