package dev.whetstone.report;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.whetstone.eval.Evaluation;
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
        .append("\n\nBase model: `").append(report.baseModel()).append("`\n\n");
    md.append("| retriever | split | nDCG@10 | MRR@10 | Recall@100 | queries |\n");
    md.append("|---|---|---|---|---|---|\n");
    report.baselines().forEach((retriever, splits) ->
        splits.forEach((split, evaluation) -> row(md, retriever, split, evaluation)));
    report.candidate().forEach((split, evaluation) -> row(md, "**trained**", split, evaluation));
    md.append(String.format(Locale.ROOT, "%n**Promotion gate:** %s%n%n", report.gate()));
    if (report.promoted()) {
      md.append("Exported to `").append(report.output()).append("`.\n\n");
    }
    md.append(String.format(Locale.ROOT, "Steps: %d, wall time %.0f s, %.2f s per optimizer step.%n%n",
        report.steps().size(), report.wallSeconds(), report.secondsPerStep()));
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
    md.append("\n![loss and dev nDCG@10](training.png)\n");
    return md.toString();
  }

  private static void row(StringBuilder md, String retriever, String split, Evaluation e) {
    md.append(String.format(Locale.ROOT, "| %s | %s | %.4f | %.4f | %.4f | %d |%n", retriever,
        split, e.ndcg10(), e.mrr10(), e.recall100(), e.queries()));
  }
}
