package dev.whetstone.clicks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.Qrels;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import org.junit.Test;

/**
 * Both estimators must recover the θ of a simulated log: 200 queries × 10 shown × 50 sessions,
 * half of the sessions in a shuffled order so bias and relevance can be told apart.
 */
public class PropensityEstimatorsTest {
  private static final int QUERIES = 200;
  private static final int SHOWN = 10;
  private static final int SESSIONS = 50;
  /**
   * Largest |θ̂ − θ| accepted, about twice the largest error measured. θ̂ is the least-squares
   * power-law exponent of the estimated propensities.
   */
  private static final double PBM_TOLERANCE = 0.05;
  private static final double HARVESTING_TOLERANCE = 0.03;
  /**
   * Two rankers that differ by neighbour swaps link each rank only to the next: measured θ̂ 1.108
   * for θ = 1 and 1.770 for θ = 2 (PBM-EM: 0.798 and 1.370; on fixed lists 0.653 for θ = 1).
   */
  private static final double TWO_RANKERS_TOLERANCE = 0.25;
  private static final Map<Double, List<Impression>> LOGS = new HashMap<>();

  @Test
  public void positionBasedModelRecoversTheta() {
    // measured θ̂: 0.5 → 0.473, 1 → 0.981, 2 → 1.982; as low fully converged (5000 iterations,
    // tolerance 0): one free relevance per pair, from 50 impressions, biases the fit
    for (double theta : new double[] {0.5, 1, 2}) {
      double estimated = new PositionBasedModelEstimator().estimate(log(theta)).powerLawExponent();
      assertEquals("θ = " + theta, theta, estimated, PBM_TOLERANCE);
    }
  }

  @Test
  public void interventionHarvestingRecoversTheta() {
    // measured θ̂: 0.5 → 0.504, 1 → 0.995, 2 → 2.012
    for (double theta : new double[] {0.5, 1, 2}) {
      double estimated =
          new InterventionHarvestingEstimator().estimate(log(theta)).powerLawExponent();
      assertEquals("θ = " + theta, theta, estimated, HARVESTING_TOLERANCE);
    }
  }

  /**
   * No shuffling: two rankers whose lists share documents at other positions (as BM25's and a
   * hybrid's top 10 do), each shown in half the sessions, are interventions enough.
   */
  @Test
  public void interventionHarvestingLearnsFromTwoRankers() {
    for (double theta : new double[] {1, 2}) {
      List<Impression> log = new ClickSimulator(theta).simulate(twoRankers(), qrels(), SESSIONS, 23);
      double harvested = new InterventionHarvestingEstimator().estimate(log).powerLawExponent();
      double em = new PositionBasedModelEstimator().estimate(log).powerLawExponent();
      assertEquals("θ = " + theta, theta, harvested, TWO_RANKERS_TOLERANCE);
      // PBM-EM, one free relevance per pair, cannot tell a document's relevance from its rank
      // when it moves one place at most: it sees less bias than there is
      assertTrue("θ = " + theta + ": PBM-EM " + em, Math.abs(em - theta) > Math.abs(harvested - theta));
    }
  }

  @Test
  public void estimatesAreNormalizedToTheTopAndDeterministic() {
    PositionPropensities first = new PositionBasedModelEstimator().estimate(log(1));
    assertEquals(1, first.at(1), 0);
    assertEquals(SHOWN, first.depth());
    assertEquals(first, new PositionBasedModelEstimator().estimate(log(1)));
  }

  @Test
  public void aDeeperRankIsNeverLookedAtMoreThanAHigherOne() {
    // a tiny log, every click at rank 2 (as in a demo session by hand): EM puts rank 1's
    // examination near 0, which normalized to rank 1 made rank 2 weigh ~1/1000 of a click
    List<Impression> log = new ArrayList<>();
    for (String text : List.of("a", "b", "c")) {
      for (int session = 0; session < 3; session++) {
        log.add(new Impression(text + session, text, List.of(text + "1", text + "2", text + "3"),
            List.of(new Impression.Click(text + "2", 2, Double.NaN))));
      }
    }
    PositionPropensities estimated = new PositionBasedModelEstimator().estimate(log);
    for (int rank = 2; rank <= estimated.depth(); rank++) {
      assertTrue(estimated.toString(), estimated.at(rank) <= estimated.at(rank - 1));
    }
    assertEquals(1, estimated.at(1), 0);
    PositionPropensities capped = PositionPropensities.estimated(0.8, 0.9, 0.4, 0.6);
    assertEquals(List.of(1.0, 1.0, 0.5, 0.5),
        java.util.Arrays.stream(capped.toArray()).boxed().toList());
  }

  @Test
  public void interventionHarvestingRefusesALogWithoutInterventions() {
    List<Impression> fixedLists = new ClickSimulator(1)
        .simulate(queries(), qrels(), SESSIONS, 7);
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> new InterventionHarvestingEstimator().estimate(fixedLists));
    assertTrue(e.getMessage(), e.getMessage().contains("no interventions"));
  }

  @Test
  public void givenPropensitiesIgnoreTheLogAndExtendTheDeepestRank() {
    PositionPropensities given = PropensityEstimator.given(PositionPropensities.powerLaw(1, 3))
        .estimate(List.of());
    assertEquals(0.5, given.at(2), 1e-12);
    assertEquals(1.0 / 3, given.at(7), 1e-12);
    assertEquals(1, given.powerLawExponent(), 1e-12);
    PositionPropensities normalized = PositionPropensities.of(0.8, 0.4);
    assertEquals(1, normalized.at(1), 0);
    assertEquals(0.5, normalized.at(2), 1e-12);
  }

  private static List<Impression> log(double theta) {
    return LOGS.computeIfAbsent(theta, t -> new ClickSimulator(t).withShuffledFraction(0.5)
        .simulate(queries(), qrels(), SESSIONS, 19));
  }

  private static List<ClickSimulator.Query> queries() {
    List<ClickSimulator.Query> queries = new ArrayList<>();
    for (int q = 0; q < QUERIES; q++) {
      List<String> shown = new ArrayList<>();
      for (int d = 0; d < SHOWN; d++) {
        shown.add("q" + q + "d" + d);
      }
      queries.add(ClickSimulator.Query.of("q" + q, "text " + q, shown));
    }
    return queries;
  }

  /** Each query's list, and a second ranker's: the same documents with neighbours swapped. */
  private static List<ClickSimulator.Query> twoRankers() {
    List<ClickSimulator.Query> queries = new ArrayList<>();
    for (ClickSimulator.Query query : queries()) {
      List<String> first = query.rankings().get(0);
      List<String> second = new ArrayList<>(first);
      for (int i = query.id().hashCode() & 1; i + 1 < second.size(); i += 2) {
        second.set(i + 1, second.set(i, second.get(i + 1)));
      }
      queries.add(new ClickSimulator.Query(query.id(), query.text(), List.of(first, second)));
    }
    return queries;
  }

  /** Each document grade 0 (40 %), 1 (40 %) or 2 (20 %), the same for every call. */
  private static Qrels qrels() {
    SplittableRandom random = new SplittableRandom(3);
    Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
    for (int q = 0; q < QUERIES; q++) {
      Map<String, Integer> grades = new LinkedHashMap<>();
      for (int d = 0; d < SHOWN; d++) {
        double u = random.nextDouble();
        grades.put("q" + q + "d" + d, u < 0.4 ? 0 : u < 0.8 ? 1 : 2);
      }
      judgments.put("q" + q, grades);
    }
    return new Qrels(judgments);
  }
}
