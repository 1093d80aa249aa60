package dev.whetstone.train;

/** One optimizer step on one batch. */
interface TrainingStep {
  /** Runs forward, backward and the update; returns the batch loss. */
  float step(ContrastiveBatch batch, float learningRate);
}
