package dev.whetstone.train;

/**
 * Training produced a NaN or an infinity: the run stops at once, keeps its best checkpoint, and
 * reports where. Continuing would only train on garbage.
 */
final class TrainingDiverged extends RuntimeException {
  private final int step;

  TrainingDiverged(int step, String what) {
    super("diverged at step " + step + ": " + what);
    this.step = step;
  }

  int step() {
    return step;
  }
}
