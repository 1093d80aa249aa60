package dev.whetstone.clicks;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.ToDoubleBiFunction;

/**
 * Which clicks are noise: a two-class click model whose prior of relevance is read from a teacher's
 * score, fitted by regression EM (Wang, Golbandi, Bendersky, Metzler and Najork 2018, "Position
 * Bias Estimation for Unbiased Learning to Rank in Personal Search").
 *
 * <p>Each document shown for a query text is relevant or not. Per expected examination, users
 * click a relevant one at a rate r₁ and any other at a noise rate r₀ (the label flip that
 * noisy-label-robust training models instead of trusting every click: NBPO, Yu and Qin 2020). The
 * prior of relevance is logistic in the teacher's score of the pair, standardized over the log.
 * EM fits r₀, r₁ and the prior's two coefficients to every shown pair, clicked or not; a clicked
 * pair whose posterior of relevance is below one half is noise. Where a document was examined
 * often its clicks decide; where it was examined once or twice (deep, or shown by one ranker only),
 * one click says little and the teacher decides. On simulated SciFact clicks (θ = 1) this cut the
 * stray documents graded by the Wilson bound from 198 to 44 and kept 99 % of its relevant ones
 * (docs/clicks.md).
 */
public final class ClickNoiseModel {
  /** EM stops when no parameter moves more than this in an iteration. */
  static final double TOLERANCE = 1e-7;
  static final int MAX_ITERATIONS = 500;
  private static final int NEWTON_STEPS = 5;
  /** Rates stay inside (0, 1), where the log-likelihood is finite. */
  private static final double MIN_RATE = 1e-6;

  private ClickNoiseModel() {}

  /**
   * The fitted model and its verdicts.
   *
   * @param noiseRate r₀: clicks per examination of a document that is not relevant
   * @param relevantRate r₁: clicks per examination of a relevant one
   * @param intercept the prior's logit at the log's mean teacher score
   * @param slope the prior's logit per standard deviation of the teacher's score
   * @param iterations EM iterations run
   * @param posteriors query text → document → posterior probability of relevance, for every
   *     pair the teacher scored
   */
  public record Fit(double noiseRate, double relevantRate, double intercept, double slope,
      int iterations, Map<String, Map<String, Double>> posteriors) {

    /**
     * Whether the clicks on {@code doc} for {@code text} are noise: its posterior of relevance is
     * below one half. A pair the teacher did not score is never noise; neither is any pair when
     * the model found no relevant class (r₁ not above r₀).
     */
    public boolean isNoise(String text, String doc) {
      if (!(relevantRate > noiseRate)) {
        return false;
      }
      Double posterior = posteriors.getOrDefault(text, Map.of()).get(doc);
      return posterior != null && posterior < 0.5;
    }
  }

  /**
   * Fits the model to {@code evidence} (query text → document shown → its clicks and expected
   * examinations), the prior read from {@code teacher}'s score of each pair; a pair it scores NaN
   * (a document outside the corpus) is left out.
   */
  public static Fit fit(Map<String, Map<String, ClickEvidence>> evidence,
      ToDoubleBiFunction<String, String> teacher) {
    List<String> texts = new ArrayList<>();
    List<String> docs = new ArrayList<>();
    List<Double> clickList = new ArrayList<>();
    List<Double> examinedList = new ArrayList<>();
    List<Double> scoreList = new ArrayList<>();
    evidence.forEach((text, shown) -> shown.forEach((doc, seen) -> {
      double score = teacher.applyAsDouble(text, doc);
      if (!Double.isNaN(score) && seen.examinations() > 0) {
        texts.add(text);
        docs.add(doc);
        // more clicks than expected examinations (propensities estimated low) count as all
        examinedList.add(seen.examinations());
        clickList.add(Math.min(seen.clicks(), seen.examinations()));
        scoreList.add(score);
      }
    }));
    int n = texts.size();
    double[] clicks = toArray(clickList);
    double[] examined = toArray(examinedList);
    double[] z = standardized(toArray(scoreList));
    boolean spread = Arrays.stream(z).anyMatch(value -> value != 0);

    double noiseRate = 0.05;
    double relevantRate = 0.5;
    double intercept = -2;
    double slope = spread ? 1 : 0;
    double[] posterior = new double[n];
    int iteration = 0;
    while (iteration < MAX_ITERATIONS) {
      iteration++;
      for (int i = 0; i < n; i++) {
        // log σ(x) - log(1 - σ(x)) = x: the prior's log odds, finite however far from 0
        double logOdds = intercept + slope * z[i]
            + logLikelihood(clicks[i], examined[i], relevantRate)
            - logLikelihood(clicks[i], examined[i], noiseRate);
        posterior[i] = sigmoid(logOdds);
      }
      double relevantClicks = 0;
      double relevantExamined = 0;
      double otherClicks = 0;
      double otherExamined = 0;
      for (int i = 0; i < n; i++) {
        relevantClicks += posterior[i] * clicks[i];
        relevantExamined += posterior[i] * examined[i];
        otherClicks += (1 - posterior[i]) * clicks[i];
        otherExamined += (1 - posterior[i]) * examined[i];
      }
      double nextRelevantRate = clampRate(relevantClicks / relevantExamined);
      double nextNoiseRate = clampRate(otherClicks / otherExamined);
      double[] prior = logisticRegression(z, posterior, intercept, slope);
      double moved = Math.max(Math.max(Math.abs(nextRelevantRate - relevantRate),
          Math.abs(nextNoiseRate - noiseRate)),
          Math.max(Math.abs(prior[0] - intercept), Math.abs(prior[1] - slope)));
      relevantRate = nextRelevantRate;
      noiseRate = nextNoiseRate;
      intercept = prior[0];
      slope = prior[1];
      if (moved < TOLERANCE) {
        break;
      }
    }
    Map<String, Map<String, Double>> posteriors = new LinkedHashMap<>();
    for (int i = 0; i < n; i++) {
      posteriors.computeIfAbsent(texts.get(i), t -> new LinkedHashMap<>())
          .put(docs.get(i), posterior[i]);
    }
    return new Fit(noiseRate, relevantRate, intercept, slope, iteration, posteriors);
  }

  /** log P(clicks | examinations, rate), up to the binomial coefficient, which the classes share. */
  private static double logLikelihood(double clicks, double examinations, double rate) {
    return clicks * Math.log(rate) + (examinations - clicks) * Math.log1p(-rate);
  }

  /**
   * The M step of the prior: a few Newton steps of the logistic regression of the posteriors
   * (soft labels) on the standardized score, from the current coefficients.
   */
  private static double[] logisticRegression(double[] z, double[] target, double intercept,
      double slope) {
    for (int step = 0; step < NEWTON_STEPS; step++) {
      double g0 = 0;
      double g1 = 0;
      double h00 = 0;
      double h01 = 0;
      double h11 = 0;
      for (int i = 0; i < z.length; i++) {
        double p = sigmoid(intercept + slope * z[i]);
        double error = target[i] - p;
        double weight = p * (1 - p);
        g0 += error;
        g1 += error * z[i];
        h00 += weight;
        h01 += weight * z[i];
        h11 += weight * z[i] * z[i];
      }
      double determinant = h00 * h11 - h01 * h01;
      if (determinant > 1e-12) {
        intercept += (h11 * g0 - h01 * g1) / determinant;
        slope += (h00 * g1 - h01 * g0) / determinant;
      } else if (h00 > 0) {
        intercept += g0 / h00; // scores without spread: a prior the same for every pair
      }
    }
    return new double[] {intercept, slope};
  }

  private static double[] standardized(double[] scores) {
    double mean = 0;
    for (double score : scores) {
      mean += score;
    }
    mean /= Math.max(1, scores.length);
    double variance = 0;
    for (double score : scores) {
      variance += (score - mean) * (score - mean);
    }
    double deviation = Math.sqrt(variance / Math.max(1, scores.length));
    double[] z = new double[scores.length];
    for (int i = 0; i < scores.length; i++) {
      z[i] = deviation > 0 ? (scores[i] - mean) / deviation : 0;
    }
    return z;
  }

  private static double sigmoid(double x) {
    return 1 / (1 + Math.exp(-x));
  }

  private static double clampRate(double rate) {
    return Double.isNaN(rate) ? MIN_RATE : Math.min(1 - MIN_RATE, Math.max(MIN_RATE, rate));
  }

  private static double[] toArray(List<Double> values) {
    return values.stream().mapToDouble(Double::doubleValue).toArray();
  }
}
