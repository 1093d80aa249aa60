package dev.whetstone.train;

import dev.whetstone.report.TrainingReport.EvalRecord;
import dev.whetstone.report.TrainingReport.StepRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands: enough to resume it exactly (same seed, same batch order, same schedule).
 *
 * @param totalSteps the steps the plan settled on (0 until planned): a resumed run keeps them
 * @param bestStep the step whose weights scored best on dev (0: none better than the base yet)
 * @param divergence why the run stopped early on a NaN or infinity; null when it did not
 */
record TrainingState(
    String mode,
    String baseFingerprint,
    long seed,
    int totalSteps,
    int step,
    int epoch,
    int batchInEpoch,
    double bestDev,
    int bestStep,
    String divergence,
    List<StepRecord> steps,
    List<EvalRecord> evaluations) {

  static TrainingState start(TrainingMode mode, String baseFingerprint, long seed) {
    return new TrainingState(mode.label(), baseFingerprint, seed, 0, 0, 0, 0,
        Double.NEGATIVE_INFINITY, 0, null, new ArrayList<>(), new ArrayList<>());
  }

  TrainingState at(int step, int epoch, int batchInEpoch) {
    return new TrainingState(mode, baseFingerprint, seed, totalSteps, step, epoch, batchInEpoch,
        bestDev, bestStep, divergence, steps, evaluations);
  }

  TrainingState withBest(double dev, int atStep) {
    return new TrainingState(mode, baseFingerprint, seed, totalSteps, step, epoch, batchInEpoch,
        dev, atStep, divergence, steps, evaluations);
  }

  TrainingState withTotalSteps(int total) {
    return new TrainingState(mode, baseFingerprint, seed, total, step, epoch, batchInEpoch,
        bestDev, bestStep, divergence, steps, evaluations);
  }

  TrainingState diverged(String why) {
    return new TrainingState(mode, baseFingerprint, seed, totalSteps, step, epoch, batchInEpoch,
        bestDev, bestStep, why, steps, evaluations);
  }
}
