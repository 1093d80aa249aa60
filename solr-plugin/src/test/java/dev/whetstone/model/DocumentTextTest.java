package dev.whetstone.model;

import static org.junit.Assert.assertEquals;

import java.util.Arrays;
import org.junit.Test;

public class DocumentTextTest {
  @Test
  public void stripsSkipsBlanksAndJoinsWithOneSpace() {
    assertEquals("Aspirin lowers fever.", DocumentText.join(Arrays.asList(" Aspirin ", null, "", "lowers fever.")));
  }

  @Test
  public void nothingButBlanksGivesEmptyText() {
    assertEquals("", DocumentText.join(Arrays.asList(null, "  ", "")));
  }
}
