package dev.whetstone.clicks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;

import dev.whetstone.data.Qrels;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

/**
 * A hand-built log with η = (1, 0.5, 0.25) for ranks 1..3, so a click weighs 1, 2 or 4:
 *
 * <pre>
 *   query q: [d1 d2 d3] click d3 at 3 (dwell unknown)   → 4, clipped to 3; d1, d2 skipped
 *            [d2 d1 d3] click d1 at 2 (dwell 30 s)      → 2; d2 skipped
 *            [d1 d4 d5] click d4 at 2 (dwell 2 s)       → below a 5 s threshold: not counted
 *   query other: [d1] no click
 * </pre>
 */
public class ClickLabelerTest {
  private static final PositionPropensities ETA = PositionPropensities.of(1, 0.5, 0.25);
  private static final List<Impression> LOG = List.of(
      new Impression("1", "q", List.of("d1", "d2", "d3"),
          List.of(new Impression.Click("d3", 3, Double.NaN))),
      new Impression("2", "q", List.of("d2", "d1", "d3"),
          List.of(new Impression.Click("d1", 2, 30))),
      new Impression("3", "q", List.of("d1", "d4", "d5"),
          List.of(new Impression.Click("d4", 2, 2))),
      new Impression("4", "other", List.of("d1"), List.of()));
  private static final ClickLabeler CLIPPED =
      ClickLabeler.inversePropensity(ETA).withClip(3).withMinDwellSeconds(5);

  @Test
  public void clippedInversePropensityWeights() {
    ClickLabels q = CLIPPED.label(LOG).get("q");
    assertEquals(3, q.impressions());
    assertEquals(Map.of("d3", 3.0, "d1", 2.0), q.positives());
    assertEquals(List.of("d3", "d1"), List.copyOf(q.positives().keySet()));
  }

  @Test
  public void withoutClipTheDeepClickWeighsItsFullInversePropensity() {
    ClickLabels q = CLIPPED.withClip(Double.POSITIVE_INFINITY).label(LOG).get("q");
    assertEquals(Map.of("d3", 4.0, "d1", 2.0), q.positives());
  }

  @Test
  public void weightsPerImpressionDivideByTheQuerysImpressions() {
    ClickLabels q = CLIPPED.withWeightsPerImpression(true).label(LOG).get("q");
    assertEquals(1.0, q.positives().get("d3"), 1e-12);
    assertEquals(2.0 / 3, q.positives().get("d1"), 1e-12);
  }

  @Test
  public void shortDwellClicksDoNotCountUnknownDwellDoes() {
    assertFalse(CLIPPED.label(LOG).get("q").positives().containsKey("d4"));
    ClickLabels everyClick = CLIPPED.withMinDwellSeconds(0).label(LOG).get("q");
    assertEquals(Map.of("d3", 3.0, "d1", 2.0, "d4", 2.0), everyClick.positives());
  }

  @Test
  public void skipAboveNegativesExcludeClickedAndUnshownDocuments() {
    // d1 was skipped above d3 but clicked in another impression; d4 was clicked (too briefly);
    // d5 was shown below every click; d9 was never shown: none of them is a negative
    Map<String, ClickLabels> labels = CLIPPED.label(LOG);
    assertEquals(Set.of("d2"), labels.get("q").skipAboveNegatives());
    assertEquals(Set.of("d2"), CLIPPED.withMinDwellSeconds(0).label(LOG).get("q")
        .skipAboveNegatives());
    ClickLabels other = labels.get("other");
    assertEquals(1, other.impressions());
    assertEquals(Map.of(), other.positives());
    assertEquals(Set.of(), other.skipAboveNegatives());
  }

  @Test
  public void clicksJudgedNoiseDoNotCountYetTheirDocumentIsNoNegative() {
    // d3's click at rank 3 is noise: no weight, no grade, and d1, d2 above it are not skipped
    // there; d2 is still skipped above d1's click in the second impression
    ClickLabels q = CLIPPED.withNoise((text, doc) -> text.equals("q") && doc.equals("d3"))
        .label(LOG).get("q");
    assertEquals(Map.of("d1", 2.0), q.positives());
    assertFalse(q.grades().containsKey("d3"));
    assertEquals(Set.of("d2"), q.skipAboveNegatives());
    // only d3's click was noise: with none, the same labels as before
    assertEquals(CLIPPED.label(LOG).get("q").positives(),
        CLIPPED.withNoise((text, doc) -> false).label(LOG).get("q").positives());
  }

  @Test
  public void evidenceIsEachShownDocumentsCountedClicksAndExpectedExaminations() {
    Map<String, ClickEvidence> q = CLIPPED.evidence(LOG).get("q");
    // d1 at ranks 1, 2, 1: 1 + 0.5 + 1 looks, its one click (at 2, 30 s) counted
    assertEquals(new ClickEvidence(1, 2.5), q.get("d1"));
    // d4 at rank 2 once, its click too short to count
    assertEquals(new ClickEvidence(0, 0.5), q.get("d4"));
    assertEquals(Set.of("d1", "d2", "d3", "d4", "d5"), q.keySet());
    assertEquals(Map.of("d1", new ClickEvidence(0, 1.0)), CLIPPED.evidence(LOG).get("other"));
    assertEquals(new ClickEvidence(0, 0.5),
        CLIPPED.withNoise((text, doc) -> doc.equals("d3")).evidence(LOG).get("q").get("d3"));
  }

  @Test
  public void naiveCountsEveryClickAsOne() {
    ClickLabels q = ClickLabeler.naive().withMinDwellSeconds(5).label(LOG).get("q");
    assertEquals(Map.of("d3", 1.0, "d1", 1.0), q.positives());
    // one click in two or three looks is no evidence of a grade either way
    assertEquals(Map.of("d3", 0, "d1", 0), q.grades());
  }

  @Test
  public void gradesTakeTheLowerBoundOfTheClickRatePerExamination() {
    // 1 click in 2.5 expected looks: a rate of 0.4, but its 95 % lower bound is 0.095
    assertEquals(0, ClickLabeler.grade(1, 2.5));
    assertEquals(0.0950, ClickLabeler.wilsonLowerBound(1, 2.5, 1.645), 1e-4);
    // 15 in 25 (bound 0.437) is grade 1; 30 in 40 (bound 0.624) grade 2; 3 in 3 (0.526) grade 2
    assertEquals(1, ClickLabeler.grade(15, 25));
    assertEquals(2, ClickLabeler.grade(30, 40));
    assertEquals(2, ClickLabeler.grade(3, 3));
    // more clicks than expected looks (propensities too low) count as a rate of 1
    assertEquals(ClickLabeler.wilsonLowerBound(2, 2, 1.645),
        ClickLabeler.wilsonLowerBound(4, 2, 1.645), 1e-12);
    assertEquals(0, ClickLabeler.wilsonLowerBound(1, 0, 1.645), 0);
  }

  @Test
  public void aStrayDeepClickGetsNoGradeWhereAConsistentlyClickedDocumentDoes() {
    // rank 1 "rel" clicked in 6 of 10 impressions; rank 3 "noise" (η 0.25, 2.5 expected looks)
    // clicked once: its inverse-propensity rate 4 / 10 = 0.4 would have made it grade 1
    List<Impression> log = new java.util.ArrayList<>();
    for (int i = 0; i < 10; i++) {
      List<Impression.Click> clicks = new java.util.ArrayList<>();
      if (i < 6) {
        clicks.add(new Impression.Click("rel", 1, Double.NaN));
      }
      if (i == 9) {
        clicks.add(new Impression.Click("noise", 3, Double.NaN));
      }
      log.add(new Impression(String.valueOf(i), "q", List.of("rel", "other", "noise"), clicks));
    }
    Map<String, Integer> grades =
        ClickLabeler.inversePropensity(ETA).label(log).get("q").grades();
    assertEquals(0, (int) grades.get("noise"));
    assertEquals(1, (int) grades.get("rel"));
  }

  @Test
  public void inversePropensityWeightsUndoThePositionBiasThatNaiveLabelsKeep() {
    // ten equally relevant documents always shown in the same order, examination 1/r: naive
    // weights fall like 1/r, weights with the true propensities stay level (within 10 %)
    List<String> shown = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
    Map<String, Integer> gradeOne = new HashMap<>();
    shown.forEach(doc -> gradeOne.put(doc, 1));
    List<Impression> log = new ClickSimulator(1).simulate(
        List.of(ClickSimulator.Query.of("q1", "q", shown)),
        new Qrels(Map.of("q1", gradeOne)), 20_000, 11);
    Map<String, Double> naive = ClickLabeler.naive().label(log).get("q").positives();
    Map<String, Double> weighted =
        ClickLabeler.inversePropensity(PositionPropensities.powerLaw(1, 10))
            .label(log).get("q").positives();
    assertEquals(10, naive.get("a") / naive.get("j"), 1.5);
    assertEquals(1, weighted.get("a") / weighted.get("j"), 0.1);
  }

  @Test
  public void aClickThatContradictsTheShownListIsRejected() {
    Impression wrong = new Impression("5", "q", List.of("d1", "d2"),
        List.of(new Impression.Click("d1", 2, Double.NaN)));
    assertThrows(IllegalArgumentException.class, () -> CLIPPED.label(List.of(wrong)));
  }
}
