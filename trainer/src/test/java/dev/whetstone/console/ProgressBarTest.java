package dev.whetstone.console;

import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.Test;

public class ProgressBarTest {
  @Test
  public void aResumedOrResizedBarShowsTheWholeWork() {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    PrintStream out = new PrintStream(bytes, true, StandardCharsets.UTF_8);
    ProgressBar bar = new ProgressBar(out, "steps", 36, 24); // resumed at step 24
    bar.update(36);
    String printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed, printed.contains("] 36/36 steps"));

    bytes.reset();
    ProgressBar fitted = new ProgressBar(out, "steps", 205);
    fitted.update(4);
    fitted.resize(120); // a time budget cut the plan
    fitted.update(120);
    printed = bytes.toString(StandardCharsets.UTF_8);
    assertTrue(printed, printed.contains("] 120/120 steps") && printed.endsWith("\n"));
  }
}
