package dev.whetstone.train;

import dev.whetstone.report.TrainingReport.EvalRecord;
import dev.whetstone.report.TrainingReport.StepRecord;
import java.util.ArrayList;
import java.util.List;

/**
 * Where a run stands: enough to resume it exactly (same seed, same batch order, same schedule).
 *
 * @param bestStep the step whose weights scored best on dev (0: none better than the base yet)
 */
record TrainingState(
    String mode,
    String baseFingerprint,
    long seed,
    int step,
    int epoch,
    int batchInEpoch,
    double bestDev,
    int bestStep,
    List<StepRecord> steps,
    List<EvalRecord> evaluations) {

  static TrainingState start(TrainingMode mode, String baseFingerprint, long seed) {
    return new TrainingState(mode.label(), baseFingerprint, seed, 0, 0, 0, Double.NEGATIVE_INFINITY,
        0, new ArrayList<>(), new ArrayList<>());
  }
}
