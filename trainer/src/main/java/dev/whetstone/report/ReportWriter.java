package dev.whetstone.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.SplitEvaluations;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;

/** Writes {@code report.json}, {@code report.md} and {@code training.png} into a folder. */
public final class ReportWriter {
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting()
      .serializeSpecialFloatingPointValues().disableHtmlEscaping().create();

  private ReportWriter() {}

  public static void write(TrainingReport report, Path dir) throws IOException {
    Files.createDirectories(dir);
    Files.writeString(dir.resolve("report.json"), GSON.toJson(report), StandardCharsets.UTF_8);
    Files.writeString(dir.resolve("report.md"), markdown(report), StandardCharsets.UTF_8);
    TrainingPlot.write(report, dir.resolve("training.png"));
  }

  static String markdown(TrainingReport report) {
    StringBuilder md = new StringBuilder();
    md.append("# Training report: ").append(report.mode()).append(" on ").append(report.dataSet())
        .append("\n\nBase model: `").append(report.baseModel()).append("`. Splits: ")
        .append(report.splits()).append(".\n\n");
    md.append("| retriever | split | nDCG@10 | MRR@10 | Recall@100 | queries |\n");
    md.append("|---|---|---|---|---|---|\n");
    rows(md, "bm25", report.baselines().bm25());
    rows(md, "base", report.baselines().base());
    rows(md, "hybrid", report.baselines().hybrid());
    if (report.candidate() != null) {
      rows(md, "**trained**", report.candidate());
    }
    if (report.candidateHybrid() != null) {
      rows(md, "**trained hybrid**", report.candidateHybrid());
    }
    md.append(String.format(Locale.ROOT, "%n**Promotion gate:** %s%n%n", report.gate()));
    if (report.divergence() != null) {
      md.append("**Training stopped:** ").append(report.divergence()).append("\n\n");
    }
    if (report.promoted()) {
      md.append("Exported to `").append(report.output()).append("`.\n\n");
    }
    md.append(String.format(Locale.ROOT, "%d examples per epoch, %d steps planned, %d run; wall "
        + "time %.0f s, %.2f s per optimizer step.%n%n", report.examplesPerEpoch(),
        report.plannedSteps(), report.steps().size(), report.wallSeconds(),
        report.secondsPerStep()));
    md.append("| dev evaluation at step | nDCG@10 | MRR@10 | Recall@100 |\n|---|---|---|---|\n");
    for (TrainingReport.EvalRecord eval : report.evaluations()) {
      md.append(String.format(Locale.ROOT, "| %d | %.4f | %.4f | %.4f |%n", eval.step(),
          eval.dev().ndcg10(), eval.dev().mrr10(), eval.dev().recall100()));
    }
    if (!report.counters().isEmpty()) {
      md.append("\n| counter | value |\n|---|---|\n");
      for (Map.Entry<String, Long> counter : report.counters().entrySet()) {
        md.append("| ").append(counter.getKey()).append(" | ").append(counter.getValue())
            .append(" |\n");
      }
    }
    md.append("\n| setting | value |\n|---|---|\n");
    report.settings().forEach((name, value) ->
        md.append("| ").append(name).append(" | ").append(value).append(" |\n"));
    md.append("\n![loss and dev nDCG@10](training.png)\n");
    return md.toString();
  }

  private static void rows(StringBuilder md, String retriever, SplitEvaluations evaluations) {
    row(md, retriever, "dev", evaluations.dev());
    if (evaluations.test() != null) {
      row(md, retriever, "test", evaluations.test());
    }
  }

  private static void row(StringBuilder md, String retriever, String split, Evaluation e) {
    md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %d |%n", retriever,
        split, e.ndcg10(), e.mrr10(), e.recall100(), e.queries()));
  }
}
