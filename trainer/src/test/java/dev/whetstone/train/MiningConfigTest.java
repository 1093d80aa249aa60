package dev.whetstone.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;

import dev.whetstone.filter.AuditLog;
import dev.whetstone.filter.FalseNegativeRules;
import dev.whetstone.filter.NegativeFilter;
import dev.whetstone.filter.RelevanceScorer;
import java.util.List;
import org.junit.Test;

public class MiningConfigTest {
  private static final RelevanceScorer TEACHER = new RelevanceScorer() {
    @Override
    public String name() {
      return "teacher";
    }

    @Override
    public float score(String queryText, String docId) {
      return 0;
    }
  };

  @Test
  public void defaultsMineEveryRankThroughARelativeMarginOfFivePercent() {
    FalseNegativeRules rules = MiningConfig.defaults().rules(TEACHER);
    assertNull("a window spanning every mined rank removes nothing", rules.window());
    assertEquals("relative margin 0.05 (teacher)", rules.margin().toString());
    assertEquals(List.<NegativeFilter>of(rules.margin()), rules.enabled());
  }

  @Test
  public void rulesComeInChainOrderAndEitherCanBeOff() {
    FalseNegativeRules both =
        new MiningConfig(100, 11, 100, 0f, "bge", true, 0, false, AuditLog.Mode.SAMPLE)
            .rules(TEACHER);
    assertEquals(List.of(both.window(), both.margin()), both.enabled());
    assertEquals(List.of(), new MiningConfig(100, 0, 100, null, MiningConfig.NO_TEACHER, false, 0,
        false, AuditLog.Mode.SAMPLE).rules(null).enabled());
  }

  @Test
  public void marginOutsideZeroToOneOrWithoutATeacherIsRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new MiningConfig(100, 1, 100, 1f, "bge", true, 0, false, AuditLog.Mode.SAMPLE));
    assertThrows(IllegalArgumentException.class,
        () -> new MiningConfig(100, 1, 100, 0.05f, MiningConfig.NO_TEACHER, false, 0, false,
            AuditLog.Mode.SAMPLE));
  }
}
