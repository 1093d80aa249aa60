package dev.whetstone.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.Seeds;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.Test;

/** Examples per query, not per pair: the shape of click logs and graded judgments. */
public class TrainingExamplesTest {
  private static List<String> ids(String prefix, int n) {
    return IntStream.range(0, n).mapToObj(i -> prefix + i).toList();
  }

  private static Map<String, Double> graded(List<String> docs, double grade) {
    Map<String, Double> positives = new LinkedHashMap<>();
    docs.forEach(d -> positives.put(d, grade));
    return positives;
  }

  @Test
  public void aQueryWithHundredsOfPositivesGetsOneExamplePerEpochLikeAnyOther() {
    QueryPool many = new QueryPool("many", "many positives", graded(ids("p", 300), 1),
        ids("n", 50));
    QueryPool one = new QueryPool("one", "one positive", graded(List.of("x"), 1), ids("m", 50));
    Set<String> positivesSeen = new HashSet<>();
    for (int epoch = 0; epoch < 20; epoch++) {
      List<TrainingExample> examples =
          TrainingExamples.draw(List.of(many, one), 7, Seeds.random(42, epoch));
      assertEquals(2, examples.size());
      assertEquals("many", examples.get(0).queryId());
      assertEquals("x", examples.get(1).positiveId());
      positivesSeen.add(examples.get(0).positiveId());
      for (TrainingExample example : examples) {
        assertEquals(7, example.negativeIds().size());
        assertEquals("negatives are drawn without replacement", 7,
            new HashSet<>(example.negativeIds()).size());
      }
    }
    assertTrue("epochs draw other positives: " + positivesSeen.size(), positivesSeen.size() > 15);
  }

  @Test
  public void higherGradesAreDrawnMoreOftenInProportionToTheGrade() {
    Map<String, Double> positives = new LinkedHashMap<>();
    positives.put("partly", 1.0);
    positives.put("highly", 2.0);
    QueryPool pool = new QueryPool("q", "text", positives, List.of());
    Map<String, Integer> counts = new HashMap<>();
    Random random = new Random(42);
    for (int i = 0; i < 8000; i++) {
      counts.merge(TrainingExamples.draw(List.of(pool), 0, random).get(0).positiveId(), 1,
          Integer::sum);
    }
    double ratio = counts.get("highly") / (double) counts.get("partly");
    assertEquals("grade 2 : grade 1 should be 2 : 1, got " + counts, 2.0, ratio, 0.2);
  }

  @Test
  public void theSameSeedDrawsTheSameEpochAndAnotherSeedAnother() {
    QueryPool pool = new QueryPool("q", "text", graded(ids("p", 40), 1), ids("n", 100));
    assertEquals(TrainingExamples.draw(List.of(pool), 5, new Random(7)),
        TrainingExamples.draw(List.of(pool), 5, new Random(7)));
    assertNotEquals(TrainingExamples.draw(List.of(pool), 5, new Random(7)),
        TrainingExamples.draw(List.of(pool), 5, new Random(8)));
    // fewer mined negatives than asked for: all of them
    assertEquals(100, TrainingExamples.draw(List.of(pool), 500, new Random(1)).get(0)
        .negativeIds().size());
  }

  @Test
  public void aPoolNeedsAPositiveWithAGradeAboveZero() {
    assertThrows(IllegalArgumentException.class,
        () -> new QueryPool("q", "t", Map.of(), List.of()));
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new QueryPool("q", "t", Map.of("d", 0.0), List.of()));
    assertTrue(e.getMessage(), e.getMessage().contains("'d'"));
  }
}
