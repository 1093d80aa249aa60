package dev.whetstone.train;

/** Linear warm-up from 0 to the peak rate, then linear decay to 0 at the last step. */
public record LearningRateSchedule(float peak, int warmupSteps, int totalSteps) {

  public LearningRateSchedule {
    if (!(peak > 0)) {
      throw new IllegalArgumentException("learning rate must be > 0, got " + peak);
    }
    if (totalSteps <= 0 || warmupSteps < 0 || warmupSteps > totalSteps) {
      throw new IllegalArgumentException("need 0 <= warmup (" + warmupSteps + ") <= total steps ("
          + totalSteps + ") and total > 0");
    }
  }

  /** The rate of 0-based step {@code step}. */
  public float rate(int step) {
    if (step < warmupSteps) {
      return peak * (step + 1) / (warmupSteps + 1);
    }
    int decaySteps = totalSteps - warmupSteps;
    return peak * Math.max(0, totalSteps - step) / decaySteps;
  }
}
