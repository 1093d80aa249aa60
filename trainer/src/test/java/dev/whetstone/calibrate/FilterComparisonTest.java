package dev.whetstone.calibrate;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.ScoreMap;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class FilterComparisonTest {
  @Rule public TemporaryFolder tmp = new TemporaryFolder();

  private static List<LabeledHits> queries(long seed, int count, double relevantBias) {
    Random random = new Random(seed);
    List<LabeledHits> queries = new ArrayList<>();
    for (int q = 0; q < count; q++) {
      float[] scores = new float[100];
      boolean[] relevant = new boolean[100];
      double top = 0.8 + 0.15 * random.nextDouble();
      int total = 0;
      for (int j = 0; j < scores.length; j++) {
        scores[j] = (float) (top - j * 0.002 - 0.0005 * random.nextDouble());
        relevant[j] = random.nextDouble() < relevantBias * Math.exp(-j / 8.0);
        total += relevant[j] ? 1 : 0;
      }
      queries.add(new LabeledHits("q" + q, new float[] {random.nextFloat(), random.nextFloat()},
          scores, relevant, total + 1));
    }
    return queries;
  }

  private static CosineAdapter linear(double threshold, float slope) {
    return new CosineAdapter("q", "d", ScoreMap.LINEAR, threshold, new float[][] {{0.5f, -0.25f}},
        new float[] {1}, new float[][] {{slope}, {0.1f}}, new float[] {0, -0.2f}, 0.85);
  }

  private FilterComparison comparison() {
    return new FilterComparison(queries(1, 40, 0.9), queries(2, 40, 0.9), linear(0.5, 30),
        linear(0.4, 20));
  }

  @Test
  public void comparesFiveWaysOfCuttingAndRendersThemAsMarkdown() {
    FilterComparison comparison = comparison();
    List<FilterComparison.Row> rows = comparison.rows();
    assertEquals(List.of("top-k (k of best dev F1)", "top-10", "global raw-score threshold",
        "global Platt scaling", "Cosine Adapter (linear)"),
        rows.stream().map(FilterComparison.Row::method).toList());
    assertEquals("k = 10", rows.get(1).cutOff());
    assertTrue(Double.isNaN(rows.get(0).ece()));
    List<FilterComparison.OffTopicPoint> offTopic = comparison.offTopic(queries(3, 20, 0));
    assertEquals(4, offTopic.size());
    String markdown = FilterComparison.markdown(rows, offTopic, "other");
    String[] lines = markdown.split("\n");
    assertTrue(markdown, lines[0].startsWith("| method | cut-off (chosen on dev) | precision |"));
    assertEquals(markdown, 2 + rows.size() + 3 + 2 + offTopic.size(), lines.length);
    assertTrue(markdown, markdown.contains("other queries against this index (off-topic):"));
    assertTrue(markdown, lines[2].startsWith("| top-k (k of best dev F1) | k = "));
    assertTrue(markdown, lines[2].endsWith("| — | — |"));
    assertTrue(markdown, markdown.startsWith(FilterComparison.markdown(rows, null, "other")));
  }

  @Test
  public void plotsThePrecisionRecallCurvesAsAPng() throws Exception {
    Path png = tmp.getRoot().toPath().resolve("curves.png");
    comparison().plot(png, "test curves");
    byte[] head = Arrays.copyOf(Files.readAllBytes(png), 8);
    assertArrayEquals(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'}, head);
  }
}
