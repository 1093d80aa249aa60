package dev.whetstone.train;

import dev.whetstone.clicks.ClickEvidence;
import dev.whetstone.clicks.ClickJudgments;
import dev.whetstone.clicks.ClickLabeler;
import dev.whetstone.clicks.ClickLabels;
import dev.whetstone.clicks.ClickNoiseModel;
import dev.whetstone.clicks.ClickSource;
import dev.whetstone.clicks.Impression;
import dev.whetstone.clicks.InterventionHarvestingEstimator;
import dev.whetstone.clicks.PositionBasedModelEstimator;
import dev.whetstone.clicks.PositionPropensities;
import dev.whetstone.filter.RelevanceScorer;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Predicate;
import java.util.stream.Collectors;

/**
 * Training from a click log instead of judgments: where the log is and how clicks become labels.
 *
 * @param source the log: a file of impressions, a folder of UBI queries and events files, or a
 *     Solr base URL whose UBI collections hold it
 * @param ubiCollections when {@code source} is a Solr URL: the queries and the events collection
 * @param propensity how the examination probability of each position is known
 * @param theta for {@link Propensity#GIVEN}: examination (1/r)^theta
 * @param weighting whether a click weighs the inverse of its position's propensity
 * @param clip the most one click may weigh (clipped inverse propensity weighting)
 * @param minDwellSeconds clicks with a known dwell below this do not count
 */
public record ClickConfig(String source, List<String> ubiCollections, Propensity propensity,
    double theta, Weighting weighting, double clip, double minDwellSeconds) {

  /**
   * Share of a click log's query texts held out for the gate, twice the judgments' 10%: click
   * grades are noisier than judgments (some graded documents are stray clicks, and documents never
   * shown count as not relevant), so the gate needs more queries to tell a gain from noise. On
   * simulated SciFact clicks (θ = 1) a query tower that tested +0.028 was refused on 67 dev texts
   * (p 0.11); with 135 it was promoted (p 0.008) and tested +0.041 (docs/training.md).
   */
  public static final double DEFAULT_DEV_FRACTION = 0.2;

  /** {@code whetstone train --clicks source} with every other click option at its default. */
  public static ClickConfig defaults(String source) {
    return new ClickConfig(source,
        List.of(ClickSource.UBI_QUERIES_COLLECTION, ClickSource.UBI_EVENTS_COLLECTION),
        Propensity.AUTO, 1, Weighting.IPW, ClickLabeler.DEFAULT_CLIP,
        ClickLabeler.DEFAULT_MIN_DWELL_SECONDS);
  }

  /** How examination per position is known. */
  public enum Propensity {
    /** Intervention harvesting when the log has clicks on documents at several positions, else PBM-EM. */
    AUTO,
    /** Intervention harvesting (Agarwal et al. 2019). */
    HARVESTING,
    /** The position-based click model fitted by EM (Wang et al. 2018). */
    EM,
    /** Examination (1/r)^theta, as the user gives it. */
    GIVEN
  }

  /** How much a click counts. */
  public enum Weighting {
    /** The inverse of its position's propensity, clipped (Joachims et al. 2017). */
    IPW,
    /** 1 wherever it was: the baseline that learns the position bias too. */
    NAIVE
  }

  public ClickConfig {
    if (ubiCollections.size() != 2 || ubiCollections.stream().anyMatch(String::isBlank)) {
      throw new IllegalArgumentException("--ubi-collections must be two collection names, "
          + "QUERIES,EVENTS; got '" + String.join(",", ubiCollections) + "'");
    }
    ubiCollections = List.copyOf(ubiCollections);
    if (!(theta >= 0) || Double.isInfinite(theta)) {
      throw new IllegalArgumentException("--propensity-theta must be >= 0, got " + theta);
    }
    if (!(clip >= 1)) {
      throw new IllegalArgumentException("--ipw-clip must be >= 1 (a click at the top weighs 1), got "
          + clip);
    }
    if (!(minDwellSeconds >= 0)) {
      throw new IllegalArgumentException("--min-dwell must be >= 0 seconds, got " + minDwellSeconds);
    }
  }

  /** Where {@link #source} says the log is. */
  ClickSource clickSource() throws IOException {
    return ClickSource.parse(source, ubiCollections.get(0), ubiCollections.get(1));
  }

  /**
   * The clicks of {@code log} labeled for training (as {@link #weighting} says) and for the gate
   * (always debiased: the gate must not reward the position bias), with the propensities
   * estimated (and said) as configured.
   *
   * @param teacher scores every query text of the log against the corpus: the clicks a {@link
   *     ClickNoiseModel} fitted with it judges noise do not count for the debiased labels; null
   *     for none
   */
  public ClickJudgments judgments(List<Impression> log, double devFraction, long seed,
      Predicate<String> inCorpus, RelevanceScorer teacher, PrintStream out) {
    int depth = log.stream().mapToInt(impression -> impression.shown().size()).max().orElse(1);
    PositionPropensities propensities;
    String method = propensity.name().toLowerCase(Locale.ROOT);
    switch (propensity) {
      case HARVESTING -> propensities = new InterventionHarvestingEstimator().estimate(log);
      case EM -> propensities = new PositionBasedModelEstimator().estimate(log);
      case GIVEN -> propensities = PositionPropensities.powerLaw(theta, depth);
      default -> {
        PositionPropensities harvested = null;
        try {
          harvested = new InterventionHarvestingEstimator().estimate(log);
          method = "harvesting";
        } catch (IllegalArgumentException noInterventions) {
          method = "em (" + noInterventions.getMessage() + "; EM tends to see less bias than "
              + "there is)";
        }
        propensities = harvested != null ? harvested : new PositionBasedModelEstimator().estimate(log);
      }
    }
    out.printf(Locale.ROOT, "Clicks: propensities by %s: %s (power-law fit theta %.2f)%n", method,
        Arrays.stream(propensities.toArray()).mapToObj(eta -> String.format(Locale.ROOT, "%.3f", eta))
            .collect(Collectors.joining(" ")), propensities.powerLawExponent());
    ClickLabeler debiased = ClickLabeler.inversePropensity(propensities).withClip(clip)
        .withMinDwellSeconds(minDwellSeconds);
    if (teacher != null) {
      debiased = debiased.withNoise(noiseModel(debiased.evidence(log), teacher, inCorpus, out));
    }
    Map<String, ClickLabels> gate = debiased.label(log);
    if (weighting == Weighting.NAIVE) {
      out.println("Clicks: naive training labels (every click a positive weighing 1); the gate's "
          + "are debiased");
      return ClickJudgments.of(ClickLabeler.naive().withMinDwellSeconds(minDwellSeconds).label(log),
          gate, false, devFraction, seed, inCorpus);
    }
    out.printf(Locale.ROOT, "Clicks: inverse-propensity weights clipped at %.1f; positives are "
        + "the documents whose debiased click-through rate reaches grade 1%n", clip);
    return ClickJudgments.of(gate, gate, true, devFraction, seed, inCorpus);
  }

  /** The noise model of {@code evidence} with {@code teacher}'s prior; says what it found. */
  private static BiPredicate<String, String> noiseModel(
      Map<String, Map<String, ClickEvidence>> evidence, RelevanceScorer teacher,
      Predicate<String> inCorpus, PrintStream out) {
    ClickNoiseModel.Fit fit = ClickNoiseModel.fit(evidence,
        (text, doc) -> inCorpus.test(doc) ? teacher.score(text, doc) : Double.NaN);
    long clicked = 0;
    long noise = 0;
    for (Map.Entry<String, Map<String, ClickEvidence>> text : evidence.entrySet()) {
      for (Map.Entry<String, ClickEvidence> doc : text.getValue().entrySet()) {
        if (doc.getValue().clicks() > 0) {
          clicked++;
          noise += fit.isNoise(text.getKey(), doc.getKey()) ? 1 : 0;
        }
      }
    }
    out.printf(Locale.ROOT, "Clicks: noise model (prior from the teacher %s, %d EM iterations): "
        + "%.3f clicks per examination on relevant documents, %.3f on others; %d of %d clicked "
        + "documents judged noise, their clicks do not count%n", teacher.name(), fit.iterations(),
        fit.relevantRate(), fit.noiseRate(), noise, clicked);
    return fit::isNoise;
  }
}
