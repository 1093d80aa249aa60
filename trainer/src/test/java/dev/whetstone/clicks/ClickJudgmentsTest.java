package dev.whetstone.clicks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/** Click labels become train judgments with sampling weights, and held-out dev judgments. */
public class ClickJudgmentsTest {
  private static ClickLabels labels(String text, Map<String, Double> positives,
      Map<String, Integer> grades, Set<String> skipped) {
    return new ClickLabels(text, 10, positives, grades, skipped);
  }

  private static Map<String, ClickLabels> log(int texts) {
    Map<String, ClickLabels> labels = new LinkedHashMap<>();
    for (int t = 0; t < texts; t++) {
      labels.put("text " + t, labels("text " + t, Map.of("d" + t, 2.5, "gone" + t, 1.0),
          Map.of("d" + t, 1, "gone" + t, 2), Set.of("s" + t, "gone-s" + t)));
    }
    return labels;
  }

  @Test
  public void textsSplitIntoTrainAndDevWithTheirOwnLabels() {
    ClickJudgments judgments = ClickJudgments.of(log(20), log(20), false, 0.2, 7, doc -> !doc.startsWith("gone"));
    assertEquals(4, judgments.dev().queryIds().size());
    assertEquals(16, judgments.train().queryIds().size());
    Set<String> train = new HashSet<>(judgments.train().queryIds());
    for (String dev : judgments.dev().queryIds()) {
      assertFalse("a text is in one split only: " + dev, train.contains(dev));
      String t = judgments.queries().get(dev).substring("text ".length());
      assertEquals(Map.of("d" + t, 1), judgments.dev().judgments(dev));
    }
    for (String id : train) {
      String t = judgments.queries().get(id).substring("text ".length());
      // a document the corpus does not hold is left out, counted
      assertEquals(Map.of("d" + t, 1), judgments.train().judgments(id));
      assertEquals(Map.of("d" + t, 2.5), judgments.weights().get(id));
      assertEquals(List.of("s" + t), judgments.skipAbove().get(id));
    }
    assertEquals(train.size(), judgments.droppedDocuments());
  }

  @Test
  public void devKeepsTheGradedDocumentsAndTheSameSeedTheSameSplit() {
    Map<String, ClickLabels> labels = new LinkedHashMap<>();
    for (int t = 0; t < 10; t++) {
      labels.put("q" + t, labels("q" + t, Map.of("a" + t, 1.0, "b" + t, 0.2),
          Map.of("a" + t, 2, "b" + t, 0), Set.of()));
    }
    ClickJudgments first = ClickJudgments.of(labels, labels, false, 0.3, 11, doc -> true);
    // a clicked document is a positive to train on (grade >= 1) even with a click-through grade 0
    String someTrain = first.train().queryIds().iterator().next();
    String t0 = first.queries().get(someTrain).substring(1);
    assertEquals(Map.of("a" + t0, 2, "b" + t0, 1), first.train().judgments(someTrain));
    // graded: a document clicked too rarely to reach grade 1 is not taken for a positive
    ClickJudgments graded = ClickJudgments.of(labels, labels, true, 0.3, 11, doc -> true);
    assertEquals(Map.of("a" + t0, 2), graded.train().judgments(someTrain));
    assertEquals(Map.of("a" + t0, 1.0), graded.weights().get(someTrain));
    assertEquals(3, first.dev().queryIds().size());
    assertEquals(7, first.train().queryIds().size());
    for (String id : first.dev().queryIds()) {
      String t = first.queries().get(id).substring(1);
      assertEquals("grade 0 is not relevant", Map.of("a" + t, 2), first.dev().judgments(id));
    }
    assertEquals(first.dev().queryIds(), ClickJudgments.of(labels, labels, false, 0.3, 11, doc -> true).dev().queryIds());
    assertTrue(first.queries().keySet().stream().allMatch(id -> id.startsWith(ClickJudgments.ID_PREFIX)));
    assertThrows(IllegalArgumentException.class, () -> ClickJudgments.of(labels, labels, false, 1.0, 11, doc -> true));
  }
}
