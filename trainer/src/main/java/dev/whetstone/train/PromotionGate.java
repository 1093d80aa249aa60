package dev.whetstone.train;

import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.PairedComparison;
import dev.whetstone.eval.SplitEvaluations;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.nn.SentenceEncoder;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Decides whether the trained model replaces the current one. Only the best dev checkpoint of a
 * run that did not diverge is a candidate; it is exported ({@link CandidateExport}), evaluated
 * through the shared encoder as Solr runs it ({@link CandidateEvaluation}), and moved into the
 * output folder ({@link CandidateMove}, one atomic move) only if it beats the current model on dev
 * by more than chance ({@link PairedComparison}, {@code --promotion-confidence}), or with {@code
 * --force}. The gate itself only compares the evaluations and gives the verdict.
 */
final class PromotionGate {
  /**
   * @param candidate the candidate's dev and test evaluation; null when there was none
   * @param candidateHybrid the candidate fused with BM25 (RRF), as users of {@code {!hybrid}}
   *     get it; null when there was no candidate
   * @param output where the promoted model now is; null when not promoted
   */
  record Decision(boolean promoted, String reason, SplitEvaluations candidate,
      SplitEvaluations candidateHybrid, Path output) {}

  private final TrainingConfig config;
  private final TrainingData data;
  private final CandidateExport export;
  private final CandidateEvaluation evaluation;
  private final CandidateMove move;
  private final PrintStream out;

  PromotionGate(TrainingConfig config, TrainingData data, ModelSnapshots snapshots,
      PrintStream out) {
    this.config = config;
    this.data = data;
    this.export = new CandidateExport(config, snapshots);
    this.evaluation = new CandidateEvaluation(data, snapshots, out);
    this.move = new CandidateMove(config.output());
    this.out = out;
  }

  Decision decide(TrainingState state, BaselineRuns baselines, SentenceEncoder model,
      Path bestWeights) throws IOException {
    Evaluation baseDev = baselines.baselines().base().dev();
    if (state.divergence() != null) {
      return refuse(state.bestStep() == 0
          ? String.format(Locale.ROOT, "not promoted: %s; no evaluation before it beat the "
              + "current model's dev nDCG@10 %.4f", state.divergence(), baseDev.ndcg10())
          : String.format(Locale.ROOT, "not promoted: %s; the best checkpoint before it (step %d, "
              + "dev nDCG@10 %.4f vs current %.4f) is kept in %s", state.divergence(),
              state.bestStep(), state.bestDev(), baseDev.ndcg10(), bestWeights));
    }
    if (state.bestStep() == 0) {
      return refuse(String.format(Locale.ROOT, "not promoted: no evaluation beat the current "
          + "model's dev nDCG@10 %.4f (use --force to export anyway)", baseDev.ndcg10()));
    }
    ModelDirectory candidateDir = export.export(model, bestWeights);
    CandidateEvaluation.Result evaluated = evaluation.evaluate(candidateDir, baselines);
    return judge(candidateDir.path(), evaluated.devRun(), evaluated.test(), evaluated.hybrid(),
        baseDev, baselines.baseDevRun());
  }

  /**
   * The verdict on an exported candidate, from its dev run: moved to the output only if it beats
   * the current model's dev run by more than chance, or with {@code --force}; else left where it
   * is and nothing is written to the output.
   *
   * @param test the candidate's test evaluation, reported beside dev; null when there is no test
   * @param hybrid the candidate fused with BM25, reported beside it; null if not measured
   */
  Decision judge(Path candidateDir, Map<String, List<String>> devRun, Evaluation test,
      SplitEvaluations hybrid, Evaluation baseDev, Map<String, List<String>> baseDevRun)
      throws IOException {
    PairedComparison comparison =
        PairedComparison.ndcg10(data.splits().dev(), devRun, baseDevRun);
    SplitEvaluations candidate =
        new SplitEvaluations(Evaluation.of(data.splits().dev(), devRun), test);
    BaselineRuns.print(out, "trained", "dev", candidate.dev());
    if (candidate.test() != null) {
      BaselineRuns.print(out, "trained", "test", candidate.test());
    }
    if (hybrid != null) {
      BaselineRuns.print(out, "trained hybrid", "dev", hybrid.dev());
      if (hybrid.test() != null) {
        BaselineRuns.print(out, "trained hybrid", "test", hybrid.test());
      }
    }
    boolean better = comparison.better(config.promotionConfidence());
    boolean promoted = better || config.force();
    String reason = String.format(Locale.ROOT, "%s: dev nDCG@10 %.4f vs current %.4f (%+.4f, "
        + "paired t %.2f over %d queries, one-sided p %.3f; promotion needs p <= %.3f)%s",
        promoted ? "promoted" : "not promoted", candidate.dev().ndcg10(), baseDev.ndcg10(),
        comparison.meanDifference(), comparison.t(), comparison.queries(), comparison.pValue(),
        1 - config.promotionConfidence(), !better && promoted ? " (forced)" : "");
    if (!promoted) {
      out.println(reason);
      return new Decision(false, reason, candidate, hybrid, null);
    }
    Path output = move.moveToOutput(candidateDir);
    out.println(reason);
    return new Decision(true, reason, candidate, hybrid, output);
  }

  private Decision refuse(String reason) {
    out.println(reason);
    return new Decision(false, reason, null, null, null);
  }
}
