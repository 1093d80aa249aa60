package dev.whetstone.loss;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

public class InfoNceLossTest {
  private static NDManager manager;

  @BeforeClass
  public static void engine() {
    manager = NDManager.newBaseManager("PyTorch");
  }

  @AfterClass
  public static void close() {
    manager.close();
  }

  /** The loss of one query, computed by hand: -log softmax(logits / t)[target]. */
  private static double expected(float[] scores, int target, boolean[] excluded, float t) {
    double sum = 0;
    for (int j = 0; j < scores.length; j++) {
      if (j == target || !excluded[j]) {
        sum += Math.exp(scores[j] / t);
      }
    }
    return -(scores[target] / t - Math.log(sum));
  }

  @Test
  public void matchesTheDefinitionAndDropsExcludedColumns() {
    float[][] q = {{1, 0}, {0.6f, 0.8f}};
    float[][] d = {{0.8f, 0.6f}, {0, 1}, {1, 0}};
    NDArray queries = manager.create(new float[] {1, 0, 0.6f, 0.8f}, new Shape(2, 2));
    NDArray documents = manager.create(new float[] {0.8f, 0.6f, 0, 1, 1, 0}, new Shape(3, 2));
    int[] targets = {0, 1};
    boolean[][] none = {{false, false, false}, {false, false, false}};
    boolean[][] mask = {{false, false, true}, {false, false, false}};
    float t = 0.5f;
    InfoNceLoss loss = new InfoNceLoss(t);

    double expectedPlain = 0;
    double expectedMasked = 0;
    for (int i = 0; i < 2; i++) {
      float[] scores = new float[3];
      for (int j = 0; j < 3; j++) {
        scores[j] = q[i][0] * d[j][0] + q[i][1] * d[j][1];
      }
      expectedPlain += expected(scores, targets[i], none[i], t) / 2;
      expectedMasked += expected(scores, targets[i], mask[i], t) / 2;
    }
    assertEquals(expectedPlain, loss.loss(queries, documents, targets, none).getFloat(), 1e-5);
    // query 0's column 2 scores 1.0, above its positive (0.8): excluding it lowers the loss
    float masked = loss.loss(queries, documents, targets, mask).getFloat();
    assertEquals(expectedMasked, masked, 1e-5);
    assertEquals(true, masked < expectedPlain);
  }

  @Test
  public void aTargetColumnIsNeverExcluded() {
    NDArray queries = manager.create(new float[] {1, 0}, new Shape(1, 2));
    NDArray documents = manager.create(new float[] {1, 0, 0, 1}, new Shape(2, 2));
    float all = new InfoNceLoss(1).loss(queries, documents, new int[] {0},
        new boolean[][] {{true, false}}).getFloat();
    float plain = new InfoNceLoss(1).loss(queries, documents, new int[] {0},
        new boolean[][] {{false, false}}).getFloat();
    assertEquals(plain, all, 1e-7);
  }

  @Test
  public void refusesBadShapesAndTemperatures() {
    assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(0));
    NDArray queries = manager.create(new float[] {1, 0}, new Shape(1, 2));
    NDArray documents = manager.create(new float[] {1, 0}, new Shape(1, 2));
    assertThrows(IllegalArgumentException.class, () -> new InfoNceLoss(1).loss(queries, documents,
        new int[] {1}, new boolean[][] {{false}}));
  }
}
