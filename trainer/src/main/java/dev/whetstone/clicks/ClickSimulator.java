package dev.whetstone.clicks;

import dev.whetstone.data.Qrels;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.SplittableRandom;

/**
 * Simulated click logs from relevance judgments, with a known position bias: the position-based
 * model with examination η_r = (1/r)^θ (Joachims et al. 2017; Wang et al. 2018) and a click
 * probability given examination that depends on the judged grade. A log whose bias is known is
 * how the propensity estimators and click labels are tested.
 *
 * <p>Grades map to click probabilities as: grade ≥ 2 → {@link #DEFAULT_CLICK_GRADE_TWO},
 * grade 1 → {@link #DEFAULT_CLICK_GRADE_ONE}, grade ≤ 0 or unjudged →
 * {@link #DEFAULT_CLICK_UNJUDGED} (noise clicks). SciFact judges with grade 1 only, so there its relevant documents click with
 * the grade-1 probability.
 *
 * <p>A fraction of sessions may show the list in a random order: the randomization that makes
 * position bias identifiable (a log that always shows the same list cannot separate bias from
 * relevance). Simulated clicks carry no dwell time ({@link Double#NaN}).
 */
public final class ClickSimulator {
  public static final double DEFAULT_CLICK_GRADE_TWO = 1.0;
  public static final double DEFAULT_CLICK_GRADE_ONE = 0.6;
  public static final double DEFAULT_CLICK_UNJUDGED = 0.1;
  public static final double DEFAULT_SHUFFLED_FRACTION = 0;

  /**
   * A query to simulate and the lists a ranker may show for it, each best first (e.g. BM25's and
   * the hybrid's top 10): each session shows one of them, uniformly, as an A/B test or a ranker
   * change would. Several rankers put the same document at several positions: the interventions
   * {@link InterventionHarvestingEstimator} learns the position bias from.
   */
  public record Query(String id, String text, List<List<String>> rankings) {
    public Query {
      Objects.requireNonNull(id, "id");
      Objects.requireNonNull(text, "text");
      if (rankings.isEmpty()) {
        throw new IllegalArgumentException("query '" + id + "' has no list to show");
      }
      rankings = rankings.stream().map(List::copyOf).toList();
    }

    /** A query always shown the same list. */
    public static Query of(String id, String text, List<String> shown) {
      return new Query(id, text, List.of(shown));
    }
  }

  private final double theta;
  private final double clickGradeTwo;
  private final double clickGradeOne;
  private final double clickUnjudged;
  private final double shuffledFraction;

  /** Examination (1/r)^θ, the default click probabilities, no shuffled sessions. */
  public ClickSimulator(double theta) {
    this(theta, DEFAULT_CLICK_GRADE_TWO, DEFAULT_CLICK_GRADE_ONE, DEFAULT_CLICK_UNJUDGED,
        DEFAULT_SHUFFLED_FRACTION);
  }

  private ClickSimulator(double theta, double clickGradeTwo, double clickGradeOne,
      double clickUnjudged, double shuffledFraction) {
    if (!(theta >= 0) || !Double.isFinite(theta)) {
      throw new IllegalArgumentException("theta must be >= 0 and finite, got " + theta);
    }
    this.theta = theta;
    this.clickGradeTwo = probability("click probability of grade 2", clickGradeTwo);
    this.clickGradeOne = probability("click probability of grade 1", clickGradeOne);
    this.clickUnjudged = probability("click probability of unjudged", clickUnjudged);
    this.shuffledFraction = probability("shuffled fraction", shuffledFraction);
  }

  /** The same simulator showing a uniformly shuffled list in this fraction of sessions. */
  public ClickSimulator withShuffledFraction(double fraction) {
    return new ClickSimulator(theta, clickGradeTwo, clickGradeOne, clickUnjudged, fraction);
  }

  /**
   * {@code sessionsPerQuery} impressions per query, queries in the given order. Impression ids
   * are {@code queryId#session}. The same arguments and seed give the same log.
   */
  public List<Impression> simulate(List<Query> queries, Qrels qrels, int sessionsPerQuery,
      long seed) {
    if (sessionsPerQuery < 0) {
      throw new IllegalArgumentException("sessionsPerQuery must be >= 0, got " + sessionsPerQuery);
    }
    SplittableRandom random = new SplittableRandom(seed);
    List<Impression> log = new ArrayList<>(queries.size() * sessionsPerQuery);
    for (Query query : queries) {
      var judgments = qrels.judgments(query.id());
      for (int session = 0; session < sessionsPerQuery; session++) {
        List<String> ranking = query.rankings().size() == 1 ? query.rankings().get(0)
            : query.rankings().get(random.nextInt(query.rankings().size()));
        List<String> shown = random.nextDouble() < shuffledFraction
            ? shuffled(ranking, random)
            : ranking;
        List<Impression.Click> clicks = new ArrayList<>();
        for (int r = 1; r <= shown.size(); r++) {
          String doc = shown.get(r - 1);
          double examined = Math.pow(1.0 / r, theta);
          if (random.nextDouble() < examined
              && random.nextDouble() < clickGivenExamined(judgments.getOrDefault(doc, 0))) {
            clicks.add(new Impression.Click(doc, r, Double.NaN));
          }
        }
        log.add(new Impression(query.id() + "#" + session, query.text(), shown, clicks));
      }
    }
    return log;
  }

  private double clickGivenExamined(int grade) {
    return grade >= 2 ? clickGradeTwo : grade == 1 ? clickGradeOne : clickUnjudged;
  }

  private static List<String> shuffled(List<String> shown, SplittableRandom random) {
    List<String> copy = new ArrayList<>(shown);
    for (int i = copy.size() - 1; i > 0; i--) {
      int j = random.nextInt(i + 1);
      copy.set(j, copy.set(i, copy.get(j)));
    }
    return copy;
  }

  private static double probability(String name, double p) {
    if (!(p >= 0 && p <= 1)) {
      throw new IllegalArgumentException(name + " must be in [0, 1], got " + p);
    }
    return p;
  }
}
