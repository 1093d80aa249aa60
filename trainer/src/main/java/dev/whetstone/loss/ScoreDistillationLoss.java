package dev.whetstone.loss;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;

/**
 * Listwise score distillation: the KL divergence from the teacher's score distribution over each
 * query's batch columns (its positive, its own and the other queries' hard negatives, the other
 * queries' positives) to the student's, each a softmax at its own temperature (as in RocketQAv2
 * and the KL loss of Tamber et al. 2025). Where InfoNCE only says which column is the positive,
 * the teacher also says how far below it each negative is, so a negative that is nearly relevant
 * (an unlabeled positive) is not pushed down as hard as an unrelated one. Columns excluded for a
 * query take no part in either distribution.
 */
public final class ScoreDistillationLoss {
  private static final float EXCLUDED = -1e4f;

  private final float studentTemperature;
  private final float teacherTemperature;

  public ScoreDistillationLoss(float studentTemperature, float teacherTemperature) {
    if (!(studentTemperature > 0) || !(teacherTemperature > 0)) {
      throw new IllegalArgumentException("temperatures must be > 0, got student "
          + studentTemperature + ", teacher " + teacherTemperature);
    }
    this.studentTemperature = studentTemperature;
    this.teacherTemperature = teacherTemperature;
  }

  /**
   * Mean KL(teacher ‖ student) over the queries.
   *
   * @param queries [B, d] student query embeddings
   * @param documents [N, d] student document embeddings
   * @param teacherScores [B][N] the teacher's scores of the same pairs
   * @param excluded [B][N]: true where the column takes no part for that query
   */
  public NDArray loss(NDArray queries, NDArray documents, float[][] teacherScores,
      boolean[][] excluded) {
    int rows = (int) queries.getShape().get(0);
    int columns = (int) documents.getShape().get(0);
    if (teacherScores.length != rows || excluded.length != rows) {
      throw new IllegalArgumentException("teacher scores and mask need one row per query ("
          + rows + ")");
    }
    float[] penalty = new float[rows * columns];
    float[] teacher = new float[rows * columns];
    float[] teacherLog = new float[rows * columns];
    for (int i = 0; i < rows; i++) {
      if (teacherScores[i].length != columns) {
        throw new IllegalArgumentException("query " + i + ": " + teacherScores[i].length
            + " teacher scores for " + columns + " documents");
      }
      double max = Double.NEGATIVE_INFINITY;
      for (int j = 0; j < columns; j++) {
        if (!excluded[i][j]) {
          max = Math.max(max, teacherScores[i][j] / teacherTemperature);
        }
      }
      double sum = 0;
      for (int j = 0; j < columns; j++) {
        if (!excluded[i][j]) {
          sum += Math.exp(teacherScores[i][j] / teacherTemperature - max);
        }
      }
      double logSum = max + Math.log(sum);
      for (int j = 0; j < columns; j++) {
        int at = i * columns + j;
        if (excluded[i][j]) {
          penalty[at] = EXCLUDED;
        } else {
          teacherLog[at] = (float) (teacherScores[i][j] / teacherTemperature - logSum);
          teacher[at] = (float) Math.exp(teacherLog[at]);
        }
      }
    }
    NDManager manager = queries.getManager();
    Shape shape = new Shape(rows, columns);
    NDArray studentLog = queries.matMul(documents.transpose()).div(studentTemperature)
        .add(manager.create(penalty, shape)).logSoftmax(1);
    NDArray probabilities = manager.create(teacher, shape);
    return probabilities.mul(manager.create(teacherLog, shape).sub(studentLog))
        .sum(new int[] {1}).mean();
  }
}
