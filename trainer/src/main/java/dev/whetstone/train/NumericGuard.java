package dev.whetstone.train;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import dev.whetstone.retrieval.NonFiniteVectorException;
import java.io.IOException;
import java.util.List;
import java.util.Locale;

/**
 * Checks every step for NaN and infinity: the loss and the gradients before the update (so a bad
 * batch never reaches the weights), the weights after it. The first finding names the step, what
 * was non-finite and the batch, so the run can stop with a cause instead of training on.
 */
final class NumericGuard {
  private static final int QUERIES_NAMED = 5;

  private NumericGuard() {}

  static void checkLoss(float loss, int step, ContrastiveBatch batch) {
    if (!Float.isFinite(loss)) {
      throw new TrainingDiverged(step, "loss is " + loss + " " + describe(batch));
    }
  }

  static void checkGradients(PairList<String, Parameter> parameters, int step,
      ContrastiveBatch batch) {
    for (Pair<String, Parameter> parameter : parameters) {
      NDArray weight = parameter.getValue().getArray();
      if (!weight.hasGradient()) {
        continue;
      }
      try (NDManager scratch = weight.getManager().newSubManager()) {
        NDArray gradient = weight.getGradient();
        gradient.attach(scratch); // a fresh handle on the gradient: closing it frees no data
        if (!finite(gradient)) {
          throw new TrainingDiverged(step, "gradient of " + parameter.getKey() + " is non-finite "
              + describe(batch));
        }
      }
    }
  }

  static void checkWeights(PairList<String, Parameter> parameters, int step,
      ContrastiveBatch batch) {
    for (Pair<String, Parameter> parameter : parameters) {
      if (!finite(parameter.getValue().getArray())) {
        throw new TrainingDiverged(step, "weights of " + parameter.getKey() + " are non-finite "
            + "after the update " + describe(batch));
      }
    }
  }

  /** Work that embeds with the model being trained: dev evaluation, re-mining. */
  interface VectorWork<T> {
    T run() throws IOException;
  }

  /**
   * Runs {@code work}; a NaN or infinite vector it meets (checked before any search) means the
   * weights went bad in a way the step checks did not see, so the run stops there too.
   *
   * @param phase what was embedding, e.g. {@code dev evaluation}
   */
  static <T> T checkVectors(int step, String phase, VectorWork<T> work) throws IOException {
    try {
      return work.run();
    } catch (NonFiniteVectorException e) {
      throw new TrainingDiverged(step, phase + ": " + e.getMessage());
    }
  }

  private static boolean finite(NDArray array) {
    // the checks' intermediates land in the scratch manager and die with it
    try (NDManager scratch = array.getManager().newSubManager()) {
      array.tempAttach(scratch);
      return !array.isNaN().logicalOr(array.isInfinite()).any().getBoolean();
    }
  }

  /** The batch by its first query ids, so the run can be replayed on it. */
  static String describe(ContrastiveBatch batch) {
    List<String> ids = batch.examples().stream().map(e -> e.queryId()).toList();
    String named = String.join(", ", ids.subList(0, Math.min(QUERIES_NAMED, ids.size())));
    return String.format(Locale.ROOT, "in the batch of %d queries and %d documents (queries %s%s)",
        ids.size(), batch.documentIds().size(), named, ids.size() > QUERIES_NAMED ? ", …" : "");
  }
}
