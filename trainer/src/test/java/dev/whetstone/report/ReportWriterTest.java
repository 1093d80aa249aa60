package dev.whetstone.report;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.eval.Baselines;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.SplitEvaluations;
import java.awt.image.BufferedImage;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import javax.imageio.ImageIO;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class ReportWriterTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void writesJsonMarkdownAndAPlot() throws Exception {
    Evaluation base = new Evaluation(0.61, 0.58, 0.9, 80);
    Evaluation trained = new Evaluation(0.66, 0.62, 0.93, 80);
    TrainingReport report = new TrainingReport("full", "base", "scifact", "qrels files",
        Map.of("seed", 42),
        new Baselines(new SplitEvaluations(base, null), new SplitEvaluations(base, null),
            new SplitEvaluations(base, null)), 80, 3,
        // a non-finite loss leaves a gap in the plot
        List.of(new TrainingReport.StepRecord(1, 1.2f, 1e-5f),
            new TrainingReport.StepRecord(2, 0.9f, 2e-5f),
            new TrainingReport.StepRecord(3, Float.POSITIVE_INFINITY, 3e-5f)),
        List.of(new TrainingReport.EvalRecord(0, base), new TrainingReport.EvalRecord(2, trained)),
        new SplitEvaluations(trained, null),
        new SplitEvaluations(new Evaluation(0.71, 0.69, 0.95, 80), null), true, "promoted: dev nDCG@10 0.6600 vs current 0.6100",
        null, "out", Map.of("removed by margin", 3L), 12.5, 4.0);
    Path dir = temp.getRoot().toPath();
    ReportWriter.write(report, dir);

    String json = Files.readString(dir.resolve("report.json"));
    assertTrue(json, json.contains("\"promoted\": true") && json.contains("0.66"));
    String md = Files.readString(dir.resolve("report.md"));
    assertTrue(md, md.contains("| **trained** | dev | 0.6600 |")
        && md.contains("| **trained hybrid** | dev | 0.7100 |")
        && md.contains("| base | dev | 0.6100 |") && md.contains("| removed by margin | 3 |")
        && md.contains("| seed | 42 |") && !md.contains("Training stopped"));
    BufferedImage png = ImageIO.read(dir.resolve("training.png").toFile());
    assertEquals(960, png.getWidth());
    // something other than white was drawn in the loss panel's plotting area
    boolean drawn = false;
    for (int x = 60; x < 420 && !drawn; x++) {
      for (int y = 60; y < 300 && !drawn; y++) {
        drawn = (png.getRGB(x, y) & 0xffffff) != 0xffffff;
      }
    }
    assertTrue(drawn);
  }
}
