package dev.whetstone.train;

import java.util.List;

/**
 * The steps a run will take and when it evaluates and re-mines: epochs of sampler batches, cut at
 * {@code --max-steps} or at what fits a time budget. Costs are measured, not guessed: seconds per
 * optimizer step from the first steps, evaluation and re-mining from timed samples.
 *
 * @param stepsPerEpoch batches in each epoch, as the sampler draws them
 * @param totalSteps steps the run takes (the learning-rate schedule spans exactly these)
 * @param evalEvery dev evaluation every this many steps; 0: at each epoch's end
 * @param remineEvery re-mining every this many steps; 0: never; {@link
 *     TrainingConfig#EACH_EPOCH}: at each epoch's end
 */
record RunPlan(List<Integer> stepsPerEpoch, int totalSteps, int evalEvery, int remineEvery) {

  /** What a step, a dev evaluation, a re-mining and the final evaluation cost, in seconds. */
  record Costs(double step, double evaluation, double remining, double finish) {}

  static RunPlan of(List<Integer> stepsPerEpoch, int maxSteps, int evalEvery, int remineEvery) {
    int total = stepsPerEpoch.stream().mapToInt(Integer::intValue).sum();
    if (maxSteps > 0) {
      total = Math.min(total, maxSteps);
    }
    return new RunPlan(List.copyOf(stepsPerEpoch), total, evalEvery, remineEvery);
  }

  RunPlan withTotalSteps(int steps) {
    return new RunPlan(stepsPerEpoch, steps, evalEvery, remineEvery);
  }

  /** Whether 1-based step {@code step} is the last of an epoch. */
  boolean endOfEpoch(int step) {
    int end = 0;
    for (int steps : stepsPerEpoch) {
      end += steps;
      if (step == end) {
        return true;
      }
      if (step < end) {
        return false;
      }
    }
    return false;
  }

  boolean evaluationDue(int step) {
    return step == totalSteps || (evalEvery > 0 ? step % evalEvery == 0 : endOfEpoch(step));
  }

  boolean remineDue(int step) {
    if (step >= totalSteps || remineEvery == 0) {
      return false;
    }
    return remineEvery == TrainingConfig.EACH_EPOCH ? endOfEpoch(step) : step % remineEvery == 0;
  }

  /** Seconds from after step {@code done} to the end of the job, with its evaluations. */
  double secondsLeft(int done, Costs costs) {
    double seconds = costs.finish();
    for (int step = done + 1; step <= totalSteps; step++) {
      seconds += costs.step();
      if (evaluationDue(step)) {
        seconds += costs.evaluation();
      }
      if (remineDue(step)) {
        seconds += costs.remining();
      }
    }
    return seconds;
  }

  /**
   * The longest plan, at most this one, whose rest fits in {@code seconds}: the same epochs and
   * cadence, fewer steps. Never fewer than {@code done}.
   */
  RunPlan fit(int done, double seconds, Costs costs) {
    // the time left grows with the steps, so the answer is found by bisection
    int fits = done;
    int tooMany = totalSteps + 1;
    while (tooMany - fits > 1) {
      int steps = (fits + tooMany) >>> 1;
      if (withTotalSteps(steps).secondsLeft(done, costs) <= seconds) {
        fits = steps;
      } else {
        tooMany = steps;
      }
    }
    return withTotalSteps(fits);
  }

  int evaluations() {
    int count = 0;
    for (int step = 1; step <= totalSteps; step++) {
      count += evaluationDue(step) ? 1 : 0;
    }
    return count;
  }

  int reminings() {
    int count = 0;
    for (int step = 1; step <= totalSteps; step++) {
      count += remineDue(step) ? 1 : 0;
    }
    return count;
  }
}
