package dev.whetstone.clicks;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.BiPredicate;

/**
 * Turns a click log into labels per query text: weighted positives and skip-above negatives.
 *
 * <p>A click at rank r counts {@code min(1/η_r, clip)}: inverse propensity weighting (Joachims,
 * Swaminathan and Schnabel 2017, "Unbiased Learning-to-Rank with Biased Feedback") makes a click
 * where few users look count as much as the many clicks a top rank collects; the clip bounds the
 * variance a single deep click could add, at the price of some bias (clipped IPS, Strehl et al.
 * 2010; Joachims et al. 2017). A click with a known dwell below the threshold does not count (a
 * quick return is dissatisfaction); an unknown dwell (NaN) counts.
 *
 * <p>Negatives are "skip above" (Joachims 2002, "Optimizing Search Engines using Clickthrough
 * Data"): documents shown above a counted click and not clicked there, and never clicked for the
 * query at all. Documents never shown stay unlabeled.
 *
 * <p>Grades come from the document's click rate per examination: its counted clicks over its
 * expected examinations, the summed propensities of the ranks it was shown at (clicks over
 * expected clicks, Zhang and Jones 2007). A document shown a few times deep in the list is
 * examined a handful of times, and one stray click there would read as a high rate; so the grade
 * takes the lower bound of the rate's Wilson score interval (Wilson 1927) at {@link
 * #DEFAULT_CONFIDENCE_Z}: grade 2 when that bound reaches {@link #DEFAULT_GRADE_TWO_RATE}, grade
 * 1 at {@link #DEFAULT_GRADE_ONE_RATE}, else 0. On simulated SciFact clicks (θ = 1) the point
 * estimate made 3 of 4 graded documents unjudged ones; the bound keeps 94 % of the clicked
 * relevant documents and makes 1 in 5 graded documents unjudged (docs/clicks.md).
 *
 * <p>A click the {@link ClickNoiseModel} judges noise does not count either ({@link #withNoise}):
 * the Wilson bound alone still grades some stray clicks (a document clicked once where it was
 * examined twice), which the teacher's score tells from relevant ones.
 *
 * <p>{@link #naive()} counts every click as 1 whatever its rank, the baseline to compare with.
 */
public final class ClickLabeler {
  /** A click counts at most this much: examination below 1 in 10 is not trusted further. */
  public static final double DEFAULT_CLIP = 10;
  /** Every click counts, whatever its dwell. */
  public static final double DEFAULT_MIN_DWELL_SECONDS = 0;
  /**
   * Above the rate at which users click what they look at but do not want (about 0.1 in click
   * model studies, and in {@link ClickSimulator}): below it a click says little.
   */
  public static final double DEFAULT_GRADE_ONE_RATE = 0.2;
  public static final double DEFAULT_GRADE_TWO_RATE = 0.5;
  /** One-sided 95 % lower bound: a grade needs the evidence to rule out a stray click. */
  public static final double DEFAULT_CONFIDENCE_Z = 1.645;

  private final PositionPropensities propensities;
  private final double clip;
  private final double minDwellSeconds;
  private final boolean normalizedByImpressions;
  /** (query text, document) → whether the clicks on it are noise and do not count. */
  private final BiPredicate<String, String> noise;

  private ClickLabeler(PositionPropensities propensities, double clip, double minDwellSeconds,
      boolean normalizedByImpressions, BiPredicate<String, String> noise) {
    if (!(clip >= 1)) {
      throw new IllegalArgumentException("clip must be >= 1 (rank 1 weighs 1), got " + clip);
    }
    if (!(minDwellSeconds >= 0)) {
      throw new IllegalArgumentException("minDwellSeconds must be >= 0, got " + minDwellSeconds);
    }
    this.propensities = propensities;
    this.clip = clip;
    this.minDwellSeconds = minDwellSeconds;
    this.normalizedByImpressions = normalizedByImpressions;
    this.noise = noise;
  }

  /** Clipped inverse propensity weights with the default clip and dwell threshold. */
  public static ClickLabeler inversePropensity(PositionPropensities propensities) {
    return new ClickLabeler(propensities, DEFAULT_CLIP, DEFAULT_MIN_DWELL_SECONDS, false,
        (text, doc) -> false);
  }

  /** Every counted click weighs 1, as if all ranks were examined alike. */
  public static ClickLabeler naive() {
    return new ClickLabeler(PositionPropensities.of(1), DEFAULT_CLIP, DEFAULT_MIN_DWELL_SECONDS,
        false, (text, doc) -> false);
  }

  /** The same labeler with another clip; {@link Double#POSITIVE_INFINITY} for plain IPW. */
  public ClickLabeler withClip(double clip) {
    return new ClickLabeler(propensities, clip, minDwellSeconds, normalizedByImpressions, noise);
  }

  /** The same labeler ignoring clicks whose known dwell is below this. */
  public ClickLabeler withMinDwellSeconds(double seconds) {
    return new ClickLabeler(propensities, clip, seconds, normalizedByImpressions, noise);
  }

  /**
   * The same labeler ignoring the clicks on a document of a query text that {@code noise} judges
   * noise: as a quick return, they weigh nothing, grade nothing and make no skip above, while
   * the document is still never a skip-above negative of that text.
   */
  public ClickLabeler withNoise(BiPredicate<String, String> noise) {
    return new ClickLabeler(propensities, clip, minDwellSeconds, normalizedByImpressions, noise);
  }

  /**
   * The same labeler dividing positive weights by the query's impressions, so frequent queries
   * do not outweigh rare ones.
   */
  public ClickLabeler withWeightsPerImpression(boolean perImpression) {
    return new ClickLabeler(propensities, clip, minDwellSeconds, perImpression, noise);
  }

  /** Labels per query text, in the order the texts first appear in the log. */
  public Map<String, ClickLabels> label(List<Impression> log) {
    Map<String, ClickLabels> labels = new LinkedHashMap<>();
    tally(log).forEach((text, tally) -> labels.put(text, tally.labels()));
    return labels;
  }

  /**
   * Per query text (in log order), each document shown: its counted clicks and its expected
   * examinations, the evidence its grade is read from.
   */
  public Map<String, Map<String, ClickEvidence>> evidence(List<Impression> log) {
    Map<String, Map<String, ClickEvidence>> evidence = new LinkedHashMap<>();
    tally(log).forEach((text, tally) -> evidence.put(text, tally.evidence()));
    return evidence;
  }

  private Map<String, Tally> tally(List<Impression> log) {
    Map<String, Tally> tallies = new LinkedHashMap<>();
    for (Impression impression : log) {
      tallies.computeIfAbsent(impression.queryText(), Tally::new).add(impression);
    }
    return tallies;
  }

  private boolean counts(String text, Impression.Click click) {
    return (Double.isNaN(click.dwellSeconds()) || click.dwellSeconds() >= minDwellSeconds)
        && !noise.test(text, click.docId());
  }

  /** The grade of {@code clicks} in {@code examinations} expected examinations. */
  static int grade(double clicks, double examinations) {
    double rate = wilsonLowerBound(clicks, examinations, DEFAULT_CONFIDENCE_Z);
    return rate >= DEFAULT_GRADE_TWO_RATE ? 2 : rate >= DEFAULT_GRADE_ONE_RATE ? 1 : 0;
  }

  /**
   * The lower end of the Wilson score interval for {@code successes} in {@code trials} (trials
   * may be fractional: expected examinations); a rate above 1, possible when the propensities
   * underestimate examination, counts as 1.
   */
  static double wilsonLowerBound(double successes, double trials, double z) {
    if (!(trials > 0)) {
      return 0;
    }
    double rate = Math.min(1, successes / trials);
    double zz = z * z;
    double centre = rate + zz / (2 * trials);
    double spread = z * Math.sqrt(rate * (1 - rate) / trials + zz / (4 * trials * trials));
    return (centre - spread) / (1 + zz / trials);
  }

  /** The evidence about one query text, gathered impression by impression. */
  private final class Tally {
    private final String text;
    private int impressions;
    private final Map<String, Double> examinations = new LinkedHashMap<>();
    private final Map<String, Integer> countedClicks = new LinkedHashMap<>();
    private final Map<String, Double> weights = new LinkedHashMap<>();
    private final Set<String> everClicked = new LinkedHashSet<>();
    private final Set<String> skippedAbove = new LinkedHashSet<>();

    Tally(String text) {
      this.text = text;
    }

    void add(Impression impression) {
      impressions++;
      for (int rank = 1; rank <= impression.shown().size(); rank++) {
        examinations.merge(impression.shown().get(rank - 1), propensities.at(rank), Double::sum);
      }
      boolean[] clicked = ClickedPositions.of(impression);
      int deepestCounted = 0;
      for (Impression.Click click : impression.clicks()) {
        everClicked.add(click.docId());
        if (counts(text, click)) {
          double weight = Math.min(1 / propensities.at(click.position()), clip);
          weights.merge(click.docId(), weight, Double::sum);
          countedClicks.merge(click.docId(), 1, Integer::sum);
          deepestCounted = Math.max(deepestCounted, click.position());
        }
      }
      for (int i = 0; i < deepestCounted - 1; i++) {
        if (!clicked[i]) {
          skippedAbove.add(impression.shown().get(i));
        }
      }
    }

    Map<String, ClickEvidence> evidence() {
      Map<String, ClickEvidence> evidence = new LinkedHashMap<>();
      examinations.forEach((doc, examined) ->
          evidence.put(doc, new ClickEvidence(countedClicks.getOrDefault(doc, 0), examined)));
      return evidence;
    }

    ClickLabels labels() {
      Map<String, Double> positives = new LinkedHashMap<>();
      Map<String, Integer> grades = new LinkedHashMap<>();
      weights.forEach((doc, weight) -> {
        positives.put(doc, normalizedByImpressions ? weight / impressions : weight);
        grades.put(doc, grade(countedClicks.get(doc), examinations.get(doc)));
      });
      Set<String> negatives = new LinkedHashSet<>(skippedAbove);
      negatives.removeAll(everClicked);
      return new ClickLabels(text, impressions, positives, grades, negatives);
    }
  }
}
