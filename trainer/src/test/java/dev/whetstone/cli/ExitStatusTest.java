package dev.whetstone.cli;

import static org.junit.Assert.assertEquals;

import dev.whetstone.report.TrainingReport;
import java.util.List;
import java.util.Map;
import org.junit.Test;

/** What {@code whetstone train} tells a scheduler, from the run's report. */
public class ExitStatusTest {
  private static TrainingReport report(boolean promoted, String divergence) {
    return new TrainingReport("query-tower", "base", "data", "planted", Map.of(), null, 8, 3,
        List.of(), List.of(), null, null, promoted, promoted ? "promoted: …" : "not promoted: …",
        divergence, promoted ? "out" : null, Map.of(), 1, 1);
  }

  @Test
  public void promotedIsZeroNotPromotedThreeDivergedFour() {
    assertEquals(0, ExitStatus.of(report(true, null)));
    assertEquals(3, ExitStatus.of(report(false, null)));
    assertEquals(4, ExitStatus.of(report(false, "diverged at step 2: loss is NaN …")));
  }

  @Test
  public void everyStatusIsDistinct() {
    assertEquals(List.of(0, 1, 2, 3, 4, 5), List.of(ExitStatus.OK, ExitStatus.FAILED,
        ExitStatus.BAD_INPUT, ExitStatus.NOT_PROMOTED, ExitStatus.DIVERGED,
        ExitStatus.GATE_REFUSED));
  }
}
