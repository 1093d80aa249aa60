package dev.whetstone.report;

import dev.whetstone.eval.Baselines;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.SplitEvaluations;
import java.util.List;
import java.util.Map;

/**
 * What a training run did and measured; written as JSON and Markdown beside a plot.
 *
 * @param splits where train, dev and test came from (files, or how they were carved)
 * @param settings every setting of the run, by name
 * @param candidate the exported candidate through the shared encoder; null when none was
 *     evaluated (no evaluation beat the base, or the run diverged)
 * @param candidateHybrid the candidate fused with BM25 by RRF, what {@code {!hybrid}} serves;
 *     null when there was no candidate
 * @param promoted whether the candidate was written to the output directory
 * @param gate why it was or was not promoted
 * @param divergence "diverged at step N: …" when the run stopped on a NaN or infinity, else null
 * @param counters mining and filtering counts (per rule, per source)
 * @param wallSeconds the whole job, data loading to report
 * @param secondsPerStep mean time of an optimizer step (forward, backward, checks, update) alone
 */
public record TrainingReport(
    String mode,
    String baseModel,
    String dataSet,
    String splits,
    Map<String, Object> settings,
    Baselines baselines,
    int examplesPerEpoch,
    int plannedSteps,
    List<StepRecord> steps,
    List<EvalRecord> evaluations,
    SplitEvaluations candidate,
    SplitEvaluations candidateHybrid,
    boolean promoted,
    String gate,
    String divergence,
    String output,
    Map<String, Long> counters,
    double wallSeconds,
    double secondsPerStep) {

  /** One optimizer step. */
  public record StepRecord(int step, float loss, float learningRate) {}

  /** One dev evaluation during training (step 0 is the base model). */
  public record EvalRecord(int step, Evaluation dev) {}
}
