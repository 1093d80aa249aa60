package dev.whetstone.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * InfoNCE (multiple-negatives ranking loss): each query must score its own positive above every
 * other document of the batch — the other queries' positives and every hard negative — at a
 * temperature. Documents a false-negative rule excluded for a query take no part in its softmax.
 */
public final class InfoNceLoss {
  /** Added to an excluded logit: exp(-1e4) is 0 in float, so the column leaves the softmax. */
  private static final float EXCLUDED = -1e4f;

  private final float temperature;

  public InfoNceLoss(float temperature) {
    if (!(temperature > 0)) {
      throw new IllegalArgumentException("temperature must be > 0, got " + temperature);
    }
    this.temperature = temperature;
  }

  public float temperature() {
    return temperature;
  }

  /**
   * Mean loss over the queries.
   *
   * @param queries [B, d] query embeddings
   * @param documents [N, d] document embeddings
   * @param targets for each query, the column of its positive in {@code documents}
   * @param excluded [B][N]: true where the document is not a negative for that query; a query's
   *     target column is never excluded
   */
  public NDArray loss(NDArray queries, NDArray documents, int[] targets, boolean[][] excluded) {
    int rows = (int) queries.getShape().get(0);
    int columns = (int) documents.getShape().get(0);
    if (targets.length != rows || excluded.length != rows) {
      throw new IllegalArgumentException("targets and mask need one row per query (" + rows + ")");
    }
    float[] penalty = new float[rows * columns];
    float[] target = new float[rows * columns];
    for (int i = 0; i < rows; i++) {
      if (targets[i] < 0 || targets[i] >= columns) {
        throw new IllegalArgumentException("query " + i + ": target column " + targets[i]
            + " outside the " + columns + " documents");
      }
      for (int j = 0; j < columns; j++) {
        if (excluded[i][j] && j != targets[i]) {
          penalty[i * columns + j] = EXCLUDED;
        }
      }
      target[i * columns + targets[i]] = 1;
    }
    NDManager manager = queries.getManager();
    Shape shape = new Shape(rows, columns);
    NDArray logits = queries.matMul(documents.transpose()).div(temperature)
        .add(manager.create(penalty, shape));
    NDArray logProbabilities = logits.logSoftmax(1);
    return logProbabilities.mul(manager.create(target, shape)).sum(new int[] {1}).neg().mean();
  }
}
