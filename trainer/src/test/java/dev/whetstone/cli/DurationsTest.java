package dev.whetstone.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class DurationsTest {
  @Test
  public void readsDurationsAsPeopleTypeThem() {
    assertEquals(2700, Durations.parseSeconds("--time-budget", "45m"));
    assertEquals(7200, Durations.parseSeconds("--time-budget", "2h"));
    assertEquals(5400, Durations.parseSeconds("--time-budget", "1h30m"));
    assertEquals(90, Durations.parseSeconds("--time-budget", " 90S "));
  }

  @Test
  public void refusesAnythingElseNamingTheOption() {
    for (String bad : List.of("", "45", "0m", "soon", "-5m", "1.5h")) {
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
          () -> Durations.parseSeconds("--time-budget", bad));
      assertTrue(e.getMessage(), e.getMessage().startsWith("--time-budget takes a duration"));
    }
  }
}
