package dev.whetstone.loss;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class ScoreDistillationLossTest {
  private static NDManager manager;
  // two queries, three documents, dimension 2
  private static final float[][] Q = {{1, 0}, {0.6f, 0.8f}};
  private static final float[][] D = {{0.8f, 0.6f}, {0, 1}, {1, 0}};
  private static final boolean[][] NONE = new boolean[2][3];

  @BeforeClass
  public static void engine() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterClass
  public static void close() {
    manager.close();
  }

  private static NDArray queries() {
    return manager.create(new float[] {Q[0][0], Q[0][1], Q[1][0], Q[1][1]}, new Shape(2, 2));
  }

  private static NDArray documents() {
    return manager.create(new float[] {0.8f, 0.6f, 0, 1, 1, 0}, new Shape(3, 2));
  }

  private static float[][] studentScores() {
    float[][] scores = new float[2][3];
    for (int i = 0; i < 2; i++) {
      for (int j = 0; j < 3; j++) {
        scores[i][j] = Q[i][0] * D[j][0] + Q[i][1] * D[j][1];
      }
    }
    return scores;
  }

  /** KL(p ‖ q) of one row by hand, over the columns not excluded. */
  private static double kl(float[] teacher, float tt, float[] student, float ts, boolean[] out) {
    double zt = 0;
    double zs = 0;
    for (int j = 0; j < teacher.length; j++) {
      if (!out[j]) {
        zt += Math.exp(teacher[j] / tt);
        zs += Math.exp(student[j] / ts);
      }
    }
    double kl = 0;
    for (int j = 0; j < teacher.length; j++) {
      if (!out[j]) {
        double p = Math.exp(teacher[j] / tt) / zt;
        double q = Math.exp(student[j] / ts) / zs;
        kl += p * Math.log(p / q);
      }
    }
    return kl;
  }

  @Test
  public void isZeroWhenTheStudentAgreesWithTheTeacher() {
    // the same scores at the same temperature: the same distributions
    ScoreDistillationLoss loss = new ScoreDistillationLoss(0.5f, 0.5f);
    assertEquals(0, loss.loss(queries(), documents(), studentScores(), NONE).getFloat(), 1e-6);
    // the teacher's scores doubled at twice the temperature are the same distribution too
    float[][] doubled = studentScores();
    for (float[] row : doubled) {
      for (int j = 0; j < row.length; j++) {
        row[j] *= 2;
      }
    }
    assertEquals(0, new ScoreDistillationLoss(0.5f, 1f)
        .loss(queries(), documents(), doubled, NONE).getFloat(), 1e-6);
  }

  @Test
  public void matchesTheDefinitionAndDropsExcludedColumns() {
    float[][] teacher = {{0.9f, 0.1f, 0.5f}, {0.2f, 0.7f, 0.6f}};
    boolean[][] mask = {{false, false, true}, {false, false, false}};
    float[][] student = studentScores();
    ScoreDistillationLoss loss = new ScoreDistillationLoss(0.5f, 0.2f);
    for (boolean[][] excluded : new boolean[][][] {NONE, mask}) {
      double expected = 0;
      for (int i = 0; i < 2; i++) {
        expected += kl(teacher[i], 0.2f, student[i], 0.5f, excluded[i]) / 2;
      }
      assertTrue(expected > 0.01);
      assertEquals(expected, loss.loss(queries(), documents(), teacher, excluded).getFloat(), 1e-5);
    }
  }

  @Test
  public void itsGradientMovesTheStudentTowardsTheTeacher() {
    // the teacher ranks document 1 first for query 0, the student document 2: one gradient
    // step on the query raises its score for document 1 relative to document 2
    float[][] teacher = {{0.5f, 0.9f, 0.1f}, {0.2f, 0.7f, 0.6f}};
    ScoreDistillationLoss loss = new ScoreDistillationLoss(0.5f, 0.2f);
    NDArray q = queries();
    q.setRequiresGradient(true);
    try (ai.djl.training.GradientCollector collector =
        ai.djl.engine.Engine.getEngine("PyTorch").newGradientCollector()) {
      collector.backward(loss.loss(q, documents(), teacher, NONE));
    }
    float[] gradient = q.getGradient().toFloatArray();
    // d(score) = -lr * gradient · document; document 1 = (0, 1), document 2 = (1, 0)
    float towardsOne = -gradient[1];
    float towardsTwo = -gradient[0];
    assertTrue("gradient " + java.util.Arrays.toString(gradient), towardsOne > towardsTwo);
  }

  @Test
  public void refusesMismatchedShapesAndTemperatures() {
    ScoreDistillationLoss loss = new ScoreDistillationLoss(0.5f, 0.5f);
    assertThrows(IllegalArgumentException.class,
        () -> loss.loss(queries(), documents(), new float[][] {{1, 2, 3}}, NONE));
    assertThrows(IllegalArgumentException.class,
        () -> loss.loss(queries(), documents(), new float[][] {{1, 2}, {1, 2}}, NONE));
    assertThrows(IllegalArgumentException.class, () -> new ScoreDistillationLoss(0, 1));
  }
}
