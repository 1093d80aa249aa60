package dev.whetstone.console;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.apache.logging.log4j.LogManager;
import org.apache.logging.log4j.core.config.Configurator;
import org.junit.After;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class LogFileTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  @After
  public void restoreLogging() {
    Configurator.reconfigure(); // the configuration file again
  }

  @Test
  public void log4jAndJavaUtilLoggingGoToTheFileNotTheConsole() throws Exception {
    Path file = tmp.getRoot().toPath().resolve("solr.log");
    PrintStream console = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    System.setErr(new PrintStream(captured, true, StandardCharsets.UTF_8));
    try {
      LogFile.redirect(file, false);
      LogManager.getLogger("org.apache.solr.core.CoreContainer").warn("Not all security plugins configured!");
      java.util.logging.Logger.getLogger("org.glassfish.jersey.internal").warning("no provider");
    } finally {
      System.setErr(console);
    }
    String logged = Files.readString(file);
    assertTrue(logged, logged.contains("WARN") && logged.contains("Not all security plugins configured!"));
    assertTrue(logged, logged.contains("no provider"));
    String shown = captured.toString(StandardCharsets.UTF_8);
    assertFalse(shown, shown.contains("security plugins") || shown.contains("no provider"));
  }
}
