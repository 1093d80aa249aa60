package dev.whetstone.clicks;

import static org.junit.Assert.assertEquals;

import dev.whetstone.data.Qrels;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class ClickLabelQualityTest {
  @Test
  public void countsGradedJudgedAndShownJudgedDocumentsOverTrainAndDev() {
    // text "a" (train): graded d1 (judged) and d2 (not); text "b" (dev): graded d5 (judged)
    ClickJudgments labels = new ClickJudgments(
        new Qrels(Map.of("click-0", Map.of("d1", 1, "d2", 1))),
        new Qrels(Map.of("click-1", Map.of("d5", 2))),
        Map.of("click-0", "a", "click-1", "b"), Map.of(), Map.of(), 0);
    // judged relevant: a → d1, d3 (shown, not graded), d4 (never shown); b → d5; d6 judged 0
    Map<String, Map<String, Integer>> judged = Map.of(
        "a", Map.of("d1", 1, "d3", 1, "d4", 1, "d6", 0), "b", Map.of("d5", 1));
    List<Impression> log = List.of(
        new Impression("1", "a", List.of("d1", "d2", "d3", "d6"), List.of()),
        new Impression("2", "a", List.of("d3", "d1"), List.of()),
        new Impression("3", "b", List.of("d5"), List.of()));

    ClickLabelQuality quality = ClickLabelQuality.of(labels, judged, log);

    assertEquals(new ClickLabelQuality(3, 2, 3), quality);
    assertEquals(2 / 3.0, quality.precision(), 1e-12);
    assertEquals(2 / 3.0, quality.recallOfShown(), 1e-12);
    assertEquals("3 documents graded relevant from the clicks, 2 of them judged relevant "
        + "(precision 0.67); 2 of the 3 judged documents the log showed (0.67)", quality.toString());
  }
}
