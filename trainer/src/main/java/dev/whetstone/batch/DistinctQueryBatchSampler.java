package dev.whetstone.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * Batches in which no query text occurs twice: two queries with the same text but different
 * judgments (SciFact's claims 85 and 86) would teach opposite things in one softmax. Documents may
 * repeat across examples: a batch holds each document once ({@code InBatchMask.columns}), and the
 * in-batch mask keeps every query's labeled positives, and their duplicates, out of its negatives.
 * Deferring every shared document instead would cut many-positive data (a document judged for
 * dozens of queries) into batches of a few examples. Examples are shuffled, then packed greedily
 * into the first batch they fit; a batch that cannot take an example stays open and may end up
 * smaller than {@code batchSize}.
 */
public final class DistinctQueryBatchSampler implements BatchSampler {

  @Override
  public List<List<TrainingExample>> batches(List<TrainingExample> examples, int batchSize,
      Random random) {
    List<TrainingExample> shuffled = new ArrayList<>(examples);
    Collections.shuffle(shuffled, random);
    List<List<TrainingExample>> batches = pack(shuffled, batchSize);
    Collections.shuffle(batches, random);
    return batches;
  }

  /** Packs examples, in order, into batches without a repeated query text; in creation order. */
  List<List<TrainingExample>> pack(List<TrainingExample> examples, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    List<List<TrainingExample>> batches = new ArrayList<>();
    List<Set<String>> texts = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    for (TrainingExample example : examples) {
      String key = TextKey.of(example.queryText());
      int target = -1;
      for (int b : open) {
        if (!texts.get(b).contains(key)) {
          target = b;
          break;
        }
      }
      if (target < 0) {
        target = batches.size();
        batches.add(new ArrayList<>());
        texts.add(new HashSet<>());
        open.add(target);
      }
      batches.get(target).add(example);
      texts.get(target).add(key);
      if (batches.get(target).size() == batchSize) {
        open.remove(Integer.valueOf(target));
      }
    }
    return batches;
  }
}
