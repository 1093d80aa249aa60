package dev.whetstone.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.function.Function;

/**
 * Batches in which no text occurs twice across examples: no two examples share a query text, and no
 * document text (positive or negative) of one example is a text of another. Otherwise a query's
 * positive would also sit in the batch as another query's document and train as its negative.
 * Examples are shuffled, then packed greedily into the first batch they fit; a batch that cannot
 * take an example stays open and may end up smaller than {@code batchSize}.
 */
public final class UniqueTextBatchSampler implements BatchSampler {
  private final Function<String, String> docText;

  /** @param docText document id → its text (e.g. {@code BeirDocument::embeddingText} by id) */
  public UniqueTextBatchSampler(Function<String, String> docText) {
    this.docText = docText;
  }

  @Override
  public List<List<TrainingExample>> batches(List<TrainingExample> examples, int batchSize,
      Random random) {
    List<TrainingExample> shuffled = new ArrayList<>(examples);
    Collections.shuffle(shuffled, random);
    List<List<TrainingExample>> batches = pack(shuffled, batchSize);
    Collections.shuffle(batches, random);
    return batches;
  }

  /** Packs examples, in order, into batches without a repeated text; batches in creation order. */
  List<List<TrainingExample>> pack(List<TrainingExample> examples, int batchSize) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    List<List<TrainingExample>> batches = new ArrayList<>();
    List<Set<String>> texts = new ArrayList<>();
    List<Integer> open = new ArrayList<>();
    for (TrainingExample example : examples) {
      Set<String> keys = keys(example);
      int target = -1;
      for (int b : open) {
        if (Collections.disjoint(texts.get(b), keys)) {
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
      texts.get(target).addAll(keys);
      if (batches.get(target).size() == batchSize) {
        open.remove(Integer.valueOf(target));
      }
    }
    return batches;
  }

  private Set<String> keys(TrainingExample example) {
    Set<String> keys = new HashSet<>();
    keys.add(TextKey.of(example.queryText()));
    keys.add(TextKey.of(text(example.positiveId())));
    for (String negative : example.negativeIds()) {
      keys.add(TextKey.of(text(negative)));
    }
    return keys;
  }

  private String text(String docId) {
    String text = docText.apply(docId);
    if (text == null) {
      throw new IllegalArgumentException("no text for document '" + docId + "'");
    }
    return text;
  }
}
