package dev.whetstone.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import org.junit.Test;

public class LearningRateScheduleTest {
  @Test
  public void warmsUpThenDecaysToZero() {
    LearningRateSchedule schedule = new LearningRateSchedule(1e-4f, 4, 20);
    for (int step = 1; step < 4; step++) {
      assertTrue(schedule.rate(step) > schedule.rate(step - 1));
    }
    assertEquals(1e-4f, schedule.rate(4), 1e-9);
    for (int step = 5; step < 20; step++) {
      assertTrue(schedule.rate(step) < schedule.rate(step - 1));
    }
    assertEquals(1e-4f / 16, schedule.rate(19), 1e-9);
    assertTrue(schedule.rate(0) > 0);
  }

  @Test
  public void refusesImpossibleSchedules() {
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(0, 0, 10));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 11, 10));
    assertThrows(IllegalArgumentException.class, () -> new LearningRateSchedule(1, 0, 0));
  }
}
