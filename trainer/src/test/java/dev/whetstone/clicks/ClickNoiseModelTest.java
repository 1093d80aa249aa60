package dev.whetstone.clicks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * A simulated log where a teacher's score makes relevance likelier (prior logit -2 + 2 s, s
 * standard normal), users click 60 % of the relevant documents they examine and 10 % of the
 * others, and each document is examined 1, 2, 5 or 20 times.
 */
public class ClickNoiseModelTest {
  private static final double RELEVANT_RATE = 0.6;
  private static final double NOISE_RATE = 0.1;

  private final Map<String, Map<String, ClickEvidence>> evidence = new LinkedHashMap<>();
  private final Map<String, Double> scores = new HashMap<>();
  private final Map<String, Boolean> relevant = new HashMap<>();

  private void simulate(long seed) {
    Random random = new Random(seed);
    int[] looks = {1, 2, 5, 20};
    for (int q = 0; q < 400; q++) {
      Map<String, ClickEvidence> shown = new LinkedHashMap<>();
      for (int d = 0; d < 10; d++) {
        String doc = "d" + d;
        double score = random.nextGaussian();
        boolean isRelevant = random.nextDouble() < 1 / (1 + Math.exp(2 - 2 * score));
        int examined = looks[random.nextInt(looks.length)];
        int clicks = 0;
        for (int i = 0; i < examined; i++) {
          clicks += random.nextDouble() < (isRelevant ? RELEVANT_RATE : NOISE_RATE) ? 1 : 0;
        }
        shown.put(doc, new ClickEvidence(clicks, examined));
        scores.put(q + "/" + doc, score);
        relevant.put(q + "/" + doc, isRelevant);
      }
      evidence.put("q" + q, shown);
    }
  }

  @Test
  public void findsTheClickRatesAndReadsTheTeachersScoreAsAPrior() {
    simulate(7);
    ClickNoiseModel.Fit fit = ClickNoiseModel.fit(evidence,
        (text, doc) -> scores.get(text.substring(1) + "/" + doc));
    assertEquals(NOISE_RATE, fit.noiseRate(), 0.02);
    assertEquals(RELEVANT_RATE, fit.relevantRate(), 0.05);
    assertTrue("a higher score, a likelier relevance: " + fit.slope(), fit.slope() > 1);
    assertTrue(fit.iterations() + " iterations", fit.iterations() < ClickNoiseModel.MAX_ITERATIONS);

    // among the clicked documents, those kept are relevant far more often than under the Wilson
    // bound alone, which keeps about as many of the relevant ones
    int[] kept = new int[2];
    int[] graded = new int[2];
    int clickedRelevant = 0;
    for (Map.Entry<String, Map<String, ClickEvidence>> text : evidence.entrySet()) {
      for (Map.Entry<String, ClickEvidence> doc : text.getValue().entrySet()) {
        ClickEvidence seen = doc.getValue();
        if (seen.clicks() == 0) {
          continue;
        }
        int isRelevant = relevant.get(text.getKey().substring(1) + "/" + doc.getKey()) ? 1 : 0;
        clickedRelevant += isRelevant;
        boolean wilson = ClickLabeler.grade(seen.clicks(), seen.examinations()) > 0;
        if (wilson) {
          graded[isRelevant]++;
        }
        if (!fit.isNoise(text.getKey(), doc.getKey())) {
          kept[isRelevant]++;
        }
      }
    }
    double keptPrecision = kept[1] / (double) (kept[0] + kept[1]);
    double wilsonPrecision = graded[1] / (double) (graded[0] + graded[1]);
    assertTrue(keptPrecision + " vs " + wilsonPrecision, keptPrecision > wilsonPrecision + 0.05);
    assertTrue(kept[1] + " of " + clickedRelevant + " vs " + graded[1],
        kept[1] >= 0.95 * graded[1]);
  }

  @Test
  public void withoutATeachersSpreadTheClicksAloneDecide() {
    Map<String, Map<String, ClickEvidence>> log = new LinkedHashMap<>();
    for (int q = 0; q < 200; q++) {
      Map<String, ClickEvidence> shown = new LinkedHashMap<>();
      shown.put("often", new ClickEvidence(12, 20)); // relevant, examined often
      shown.put("once", new ClickEvidence(2, 20)); // clicked at the noise rate
      shown.put("never", new ClickEvidence(0, 20));
      log.put("q" + q, shown);
    }
    ClickNoiseModel.Fit fit = ClickNoiseModel.fit(log, (text, doc) -> 0.5);
    assertEquals(0, fit.slope(), 1e-9);
    assertFalse(fit.isNoise("q3", "often"));
    assertTrue(fit.isNoise("q3", "once"));
  }

  @Test
  public void aPairTheTeacherCannotScoreIsNeverNoise() {
    Map<String, Map<String, ClickEvidence>> log = new LinkedHashMap<>();
    for (int q = 0; q < 50; q++) {
      log.put("q" + q, Map.of("relevant", new ClickEvidence(12, 20),
          "noise", new ClickEvidence(1, 20), "outside", new ClickEvidence(1, 20)));
    }
    ClickNoiseModel.Fit fit = ClickNoiseModel.fit(log,
        (text, doc) -> doc.equals("outside") ? Double.NaN : doc.equals("relevant") ? 1 : 0);
    assertTrue(fit.isNoise("q0", "noise"));
    assertFalse(fit.isNoise("q0", "outside"));
    assertFalse(fit.posteriors().get("q0").containsKey("outside"));
  }
}
