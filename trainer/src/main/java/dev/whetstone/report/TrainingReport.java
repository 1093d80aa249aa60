package dev.whetstone.report;

import dev.whetstone.eval.Evaluation;
import java.util.List;
import java.util.Map;

/**
 * What a training run did and measured; written as JSON and Markdown beside a plot.
 *
 * @param baselines retriever name (bm25, base, hybrid) → split (dev, test) → evaluation
 * @param candidate split → evaluation of the exported candidate through the shared encoder
 * @param promoted whether the candidate was written to the output directory
 * @param gate why it was or was not promoted
 * @param counters mining and filtering counts (per rule, per source)
 * @param wallSeconds the whole job, data loading to report
 * @param secondsPerStep mean time of an optimizer step (forward, backward, update) alone
 */
public record TrainingReport(
    String mode,
    String baseModel,
    String dataSet,
    Map<String, Object> settings,
    Map<String, Map<String, Evaluation>> baselines,
    List<StepRecord> steps,
    List<EvalRecord> evaluations,
    Map<String, Evaluation> candidate,
    boolean promoted,
    String gate,
    String output,
    Map<String, Long> counters,
    double wallSeconds,
    double secondsPerStep) {

  /** One optimizer step. */
  public record StepRecord(int step, float loss, float learningRate) {}

  /** One dev evaluation during training (step 0 is the base model). */
  public record EvalRecord(int step, Evaluation dev) {}
}
