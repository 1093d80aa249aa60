package dev.whetstone.train;

import dev.whetstone.batch.TrainingExample;
import dev.whetstone.filter.InBatchMask;
import java.util.List;

/**
 * One training batch laid out for the loss: B queries, the batch's document columns (positives
 * first, so query i's positive is column i, then every hard negative), and the columns that must
 * not act as a query's negatives.
 */
record ContrastiveBatch(
    List<TrainingExample> examples, List<String> documentIds, int[] targets, boolean[][] excluded) {

  static ContrastiveBatch of(List<TrainingExample> examples, InBatchMask mask) {
    List<String> columns = InBatchMask.columns(examples);
    int[] targets = new int[examples.size()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = i;
    }
    return new ContrastiveBatch(examples, columns, targets, mask.mask(examples, columns));
  }

  List<String> queryTexts() {
    return examples.stream().map(TrainingExample::queryText).toList();
  }
}
