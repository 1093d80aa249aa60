package dev.whetstone.clicks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.Qrels;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.Test;

public class ClickSimulatorTest {
  private static final List<String> TEN = List.of("a", "b", "c", "d", "e", "f", "g", "h", "i", "j");
  private static final ClickSimulator.Query QUERY = ClickSimulator.Query.of("q1", "text", TEN);
  private static final int SESSIONS = 20_000;
  /** About 4 standard deviations of a click rate near 0.6 over 20 000 sessions. */
  private static final double RATE_TOLERANCE = 0.015;

  @Test
  public void gradeOneClickRateIsPointSixTimesTheExamination() {
    Map<String, Integer> allGradeOne = new HashMap<>();
    TEN.forEach(doc -> allGradeOne.put(doc, 1));
    double theta = 1;
    double[] rates = clickRates(new ClickSimulator(theta)
        .simulate(List.of(QUERY), new Qrels(Map.of("q1", allGradeOne)), SESSIONS, 1));
    for (int r = 1; r <= TEN.size(); r++) {
      assertEquals("rank " + r, 0.6 * Math.pow(1.0 / r, theta), rates[r - 1], RATE_TOLERANCE);
    }
  }

  @Test
  public void gradeTwoAlwaysClickedWhenExaminedUnjudgedRarely() {
    // a: grade 2 at rank 1 (examined always); b: grade 0 and c: unjudged, both noise clicks
    Qrels qrels = new Qrels(Map.of("q1", Map.of("a", 2, "b", 0)));
    double[] rates = clickRates(new ClickSimulator(0.5)
        .simulate(List.of(QUERY), qrels, SESSIONS, 2));
    assertEquals(1.0, rates[0], 0);
    assertEquals(0.1 * Math.pow(0.5, 0.5), rates[1], RATE_TOLERANCE);
    assertEquals(0.1 * Math.pow(1.0 / 3, 0.5), rates[2], RATE_TOLERANCE);
  }

  @Test
  public void sameSeedSameLogOtherSeedOtherLog() {
    ClickSimulator simulator = new ClickSimulator(1).withShuffledFraction(0.5);
    Qrels qrels = new Qrels(Map.of("q1", Map.of("a", 1, "e", 2)));
    List<Impression> first = simulator.simulate(List.of(QUERY), qrels, 200, 42);
    assertEquals(first, simulator.simulate(List.of(QUERY), qrels, 200, 42));
    assertNotEquals(first, simulator.simulate(List.of(QUERY), qrels, 200, 43));
    assertEquals("q1#199", first.get(199).queryId());
    assertTrue(first.stream().flatMap(i -> i.clicks().stream())
        .allMatch(c -> Double.isNaN(c.dwellSeconds())));
  }

  @Test
  public void onlyTheShuffledFractionOfSessionsChangesTheOrder() {
    Qrels none = new Qrels(Map.of());
    assertTrue(new ClickSimulator(1).simulate(List.of(QUERY), none, 100, 5).stream()
        .allMatch(i -> i.shown().equals(TEN)));
    List<Impression> shuffled =
        new ClickSimulator(1).withShuffledFraction(1).simulate(List.of(QUERY), none, 100, 5);
    Set<List<String>> orders = new HashSet<>();
    shuffled.forEach(i -> orders.add(i.shown()));
    assertTrue(orders.size() > 90);
    assertTrue(shuffled.stream().allMatch(i -> Set.copyOf(i.shown()).equals(Set.copyOf(TEN))));
  }

  /** Clicks per rank over impressions. */
  private static double[] clickRates(List<Impression> log) {
    double[] rates = new double[TEN.size()];
    List<Impression.Click> clicks = new ArrayList<>();
    log.forEach(i -> clicks.addAll(i.clicks()));
    clicks.forEach(c -> rates[c.position() - 1]++);
    return Arrays.stream(rates).map(count -> count / log.size()).toArray();
  }
}
