package dev.whetstone.train;

import dev.whetstone.batch.TrainingExample;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * One training batch laid out for the loss: B queries, the batch's distinct documents (every
 * positive and hard negative once, so a document shared by two examples is one column), the
 * column of each query's positive, and the columns that must not act as its negatives.
 */
public record ContrastiveBatch(
    List<TrainingExample> examples, List<String> documentIds, int[] targets, boolean[][] excluded) {

  /** Decides, for a laid-out batch, which documents are not negatives of which query. */
  @FunctionalInterface
  public interface Mask {
    boolean[][] excluded(List<TrainingExample> examples, List<String> documentIds);
  }

  public static ContrastiveBatch of(List<TrainingExample> examples, Mask mask) {
    Map<String, Integer> columns = new LinkedHashMap<>();
    int[] targets = new int[examples.size()];
    for (int i = 0; i < examples.size(); i++) {
      targets[i] = columns.computeIfAbsent(examples.get(i).positiveId(), id -> columns.size());
    }
    for (TrainingExample example : examples) {
      for (String negative : example.negativeIds()) {
        columns.computeIfAbsent(negative, id -> columns.size());
      }
    }
    List<String> documentIds = new ArrayList<>(columns.keySet());
    return new ContrastiveBatch(examples, documentIds, targets, mask.excluded(examples, documentIds));
  }

  public List<String> queryTexts() {
    return examples.stream().map(TrainingExample::queryText).toList();
  }

  /** How many (query, document) pairs the mask removed from the softmax (targets excluded). */
  public int maskedPairs() {
    int count = 0;
    for (int i = 0; i < excluded.length; i++) {
      for (int j = 0; j < excluded[i].length; j++) {
        if (excluded[i][j] && j != targets[i]) {
          count++;
        }
      }
    }
    return count;
  }
}
