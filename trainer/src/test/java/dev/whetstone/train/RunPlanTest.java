package dev.whetstone.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;

public class RunPlanTest {
  // 41 steps per epoch, 5 epochs: the default query-tower run on 2,590 queries in batches of 64
  private static final List<Integer> EPOCHS = List.of(41, 41, 41, 41, 41);

  @Test
  public void evaluatesAndReminesAtEpochEndsAndEvaluatesTheLastStep() {
    RunPlan plan = RunPlan.of(EPOCHS, 0, 0, TrainingConfig.EACH_EPOCH);
    assertEquals(205, plan.totalSteps());
    assertTrue(plan.evaluationDue(41) && plan.evaluationDue(205));
    assertFalse(plan.evaluationDue(40));
    assertTrue(plan.remineDue(41) && plan.remineDue(164));
    assertFalse("no re-mining after the last step", plan.remineDue(205));
    assertEquals(5, plan.evaluations());
    assertEquals(4, plan.reminings());

    RunPlan capped = RunPlan.of(EPOCHS, 50, 20, 0);
    assertEquals(50, capped.totalSteps());
    assertEquals("steps 20, 40 and the last", 3, capped.evaluations());
    assertEquals(0, capped.reminings());
  }

  @Test
  public void secondsLeftCountStepsEvaluationsReminingsAndTheFinish() {
    RunPlan plan = RunPlan.of(EPOCHS, 0, 0, TrainingConfig.EACH_EPOCH);
    RunPlan.Costs costs = new RunPlan.Costs(2.0, 10, 30, 20);
    assertEquals(205 * 2.0 + 5 * 10 + 4 * 30 + 20, plan.secondsLeft(0, costs), 1e-9);
    assertEquals(5 * 2.0 + 10 + 20, plan.secondsLeft(200, costs), 1e-9);
  }

  @Test
  public void aBudgetKeepsTheLongestPlanThatFits() {
    RunPlan plan = RunPlan.of(EPOCHS, 0, 0, TrainingConfig.EACH_EPOCH);
    RunPlan.Costs costs = new RunPlan.Costs(2.0, 10, 30, 20);
    assertEquals(205, plan.fit(4, 10_000, costs).totalSteps());
    RunPlan fitted = plan.fit(4, 300, costs);
    assertTrue(fitted.secondsLeft(4, costs) <= 300);
    assertTrue("one more step would not fit",
        fitted.withTotalSteps(fitted.totalSteps() + 1).secondsLeft(4, costs) > 300);
    // 99 steps: 95 more at 2 s, an evaluation and a re-mining at the ends of epochs 1 and 2,
    // the last evaluation and the finish: 190 + 2 * (10 + 30) + 10 + 20 = 300
    assertEquals(99, fitted.totalSteps());
    assertEquals("never fewer than the steps already run", 4, plan.fit(4, 1, costs).totalSteps());
  }
}
