package dev.whetstone.train;

import ai.djl.ndarray.NDArray;
import dev.whetstone.loss.InfoNceLoss;
import dev.whetstone.loss.ScoreDistillationLoss;

/**
 * What a training step minimizes: InfoNCE on the labels, plus, when the batch carries teacher
 * scores, {@code distillWeight} times the score distillation loss.
 */
final class BatchLoss {
  private final InfoNceLoss infoNce;
  private final ScoreDistillationLoss distillation;
  private final float distillWeight;

  /** @param distillation null, or the distillation term and its weight (> 0) */
  BatchLoss(InfoNceLoss infoNce, ScoreDistillationLoss distillation, float distillWeight) {
    if (distillation != null && !(distillWeight > 0)) {
      throw new IllegalArgumentException("distillation weight must be > 0, got " + distillWeight);
    }
    this.infoNce = infoNce;
    this.distillation = distillation;
    this.distillWeight = distillWeight;
  }

  boolean distills() {
    return distillation != null;
  }

  NDArray loss(NDArray queries, NDArray documents, ContrastiveBatch batch) {
    NDArray loss = infoNce.loss(queries, documents, batch.targets(), batch.excluded());
    if (distillation == null) {
      return loss;
    }
    NDArray distilled = distillation.loss(queries, documents, batch.teacherScores(),
        batch.distillationExcluded());
    return loss.add(distilled.mul(distillWeight));
  }
}
