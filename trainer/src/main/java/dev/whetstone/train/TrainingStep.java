package dev.whetstone.train;

/** The gradients of one batch; the training loop checks them and applies the update. */
interface TrainingStep {
  /** Runs forward and backward, leaving the gradients on the parameters; returns the batch loss. */
  float backward(ContrastiveBatch batch);
}
