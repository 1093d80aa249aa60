package dev.whetstone.train;

import dev.whetstone.batch.TrainingExample;
import dev.whetstone.filter.InBatchMask;
import java.util.List;

/**
 * One training batch laid out for the loss: B queries, the batch's distinct documents as columns
 * (positives first, then hard negatives), each query's target column, and the columns that must
 * not act as a query's negatives.
 */
record ContrastiveBatch(
    List<TrainingExample> examples, List<String> documentIds, int[] targets, boolean[][] excluded) {

  static ContrastiveBatch of(List<TrainingExample> examples, InBatchMask mask) {
    List<String> columns = InBatchMask.columns(examples);
    return new ContrastiveBatch(examples, columns, InBatchMask.targets(examples, columns),
        mask.mask(examples, columns));
  }

  List<String> queryTexts() {
    return examples.stream().map(TrainingExample::queryText).toList();
  }
}
