package dev.whetstone.calibration;

import java.util.Locale;

/**
 * The monotonic forms a Cosine Adapter maps a vector score with (Rossi et al., CIKM 2024): the
 * logit of relevance is {@code a·g(s) + b} with {@code a > 0}, where {@code s} is Lucene's vector
 * score in [0, 1] ({@code (1 + cos) / 2} for cosine and dot product) and {@code g} is the form.
 */
public enum ScoreMap {
  /** {@code g(s) = s}. */
  LINEAR(2),
  /** {@code g(s) = √s}. */
  SQRT(2),
  /** {@code g(s) = s^p}, {@code p > 0} learned per query. */
  POWER(3);

  private final int parameters;

  ScoreMap(int parameters) {
    this.parameters = parameters;
  }

  /** How many values the adapter's network outputs for this form: a, b and (power) p. */
  public int parameters() {
    return parameters;
  }

  /** {@code g(s)}; {@code p} is ignored except for {@link #POWER}. */
  public double apply(double score, double p) {
    double s = Math.max(0, score);
    return switch (this) {
      case LINEAR -> s;
      case SQRT -> Math.sqrt(s);
      case POWER -> Math.pow(s, p);
    };
  }

  /** The score whose {@code g} is {@code value}: the inverse of {@link #apply} on [0, ∞). */
  public double inverse(double value, double p) {
    if (value <= 0) {
      return 0;
    }
    return switch (this) {
      case LINEAR -> value;
      case SQRT -> value * value;
      case POWER -> Math.pow(value, 1 / p);
    };
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT);
  }

  /** Parses a form by its label; the error lists the known ones. */
  public static ScoreMap parse(String label) {
    for (ScoreMap map : values()) {
      if (map.label().equals(label)) {
        return map;
      }
    }
    throw new IllegalArgumentException("unknown score map '" + label
        + "'; expected one of linear, sqrt, power");
  }
}
