package dev.whetstone.train;

import dev.whetstone.batch.TrainingExample;
import dev.whetstone.filter.InBatchMask;
import dev.whetstone.filter.RelevanceScorer;
import java.util.List;

/**
 * One training batch laid out for the loss: B queries, the batch's distinct documents as columns
 * (positives first, then hard negatives), each query's target column, the columns that must
 * not act as a query's negatives, and, when distilling, the teacher's score of every pair.
 *
 * @param teacherScores [B][N] the teacher's scores, or null when the run does not distill
 */
record ContrastiveBatch(List<TrainingExample> examples, List<String> documentIds, int[] targets,
    boolean[][] excluded, float[][] teacherScores) {

  /** @param teacher scores every (query, column) pair for distillation; null: no distillation */
  static ContrastiveBatch of(List<TrainingExample> examples, InBatchMask mask,
      RelevanceScorer teacher) {
    List<String> columns = InBatchMask.columns(examples);
    float[][] scores = null;
    if (teacher != null) {
      scores = new float[examples.size()][columns.size()];
      for (int i = 0; i < examples.size(); i++) {
        String text = examples.get(i).queryText();
        for (int j = 0; j < columns.size(); j++) {
          scores[i][j] = teacher.score(text, columns.get(j));
        }
      }
    }
    return new ContrastiveBatch(examples, columns, InBatchMask.targets(examples, columns),
        mask.mask(examples, columns), scores);
  }

  List<String> queryTexts() {
    return examples.stream().map(TrainingExample::queryText).toList();
  }

  /** The mask for distillation: as for InfoNCE, with each query's own positive always in. */
  boolean[][] distillationExcluded() {
    boolean[][] mask = new boolean[excluded.length][];
    for (int i = 0; i < excluded.length; i++) {
      mask[i] = excluded[i].clone();
      mask[i][targets[i]] = false;
    }
    return mask;
  }
}
