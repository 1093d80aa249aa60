package dev.whetstone.train;

import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.Runs;
import dev.whetstone.eval.SplitEvaluations;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.DenseIndex;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import java.util.Map;

/**
 * An exported candidate evaluated as Solr runs it: loaded by the shared encoder (ONNX Runtime),
 * its dev and test runs against the corpus as it sees it, and both fused with BM25 (RRF).
 */
final class CandidateEvaluation {
  /**
   * What the gate judges a candidate on.
   *
   * @param devRun the candidate's dev run, query id → document ids, best first
   * @param test its test evaluation; null without a test split
   * @param hybrid the candidate fused with BM25, dev and test
   */
  record Result(Map<String, List<String>> devRun, Evaluation test, SplitEvaluations hybrid) {}

  private final TrainingData data;
  private final ModelSnapshots snapshots;
  private final PrintStream out;

  CandidateEvaluation(TrainingData data, ModelSnapshots snapshots, PrintStream out) {
    this.data = data;
    this.snapshots = snapshots;
    this.out = out;
  }

  /** @param baselines the BM25 dev and test runs the hybrid fuses with */
  Result evaluate(ModelDirectory candidate, BaselineRuns baselines) throws IOException {
    out.println("Evaluating the exported model through the shared encoder (ONNX Runtime)");
    Map<String, List<Candidate>> dev;
    Map<String, List<Candidate>> test;
    try (Encoder trained = Encoder.load(candidate)) {
      DenseIndex index = snapshots.documentIndex(trained);
      dev = ModelSnapshots.scoredRun(trained, index, data.splits().dev(), data);
      test = data.splits().test() == null ? null
          : ModelSnapshots.scoredRun(trained, index, data.splits().test(), data);
    }
    SplitEvaluations hybrid = new SplitEvaluations(
        Evaluation.of(data.splits().dev(), Runs.fuse(baselines.devLexical(), dev)),
        test == null ? null
            : Evaluation.of(data.splits().test(), Runs.fuse(baselines.testLexical(), test)));
    return new Result(Runs.ids(dev),
        test == null ? null : Evaluation.of(data.splits().test(), Runs.ids(test)), hybrid);
  }
}
