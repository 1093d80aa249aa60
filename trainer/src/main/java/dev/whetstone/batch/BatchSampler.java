package dev.whetstone.batch;

import java.util.List;
import java.util.Random;

/** Splits one epoch of examples into batches. Each example lands in exactly one batch. */
public interface BatchSampler {
  /** Batches of at most {@code batchSize} examples, in training order. */
  List<List<TrainingExample>> batches(List<TrainingExample> examples, int batchSize, Random random);
}
