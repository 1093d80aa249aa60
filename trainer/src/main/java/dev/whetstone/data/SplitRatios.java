package dev.whetstone.data;

import java.util.Locale;

/**
 * Shares of a data set's judged queries carved into train, dev and test, as in {@code 60/20/20}.
 * Parts are read as weights, so {@code 3/1/1} is the same split.
 */
public record SplitRatios(double train, double dev, double test) {
  public SplitRatios {
    if (!(train > 0) || !(dev > 0) || !(test >= 0)) {
      throw new IllegalArgumentException("splits need a train and a dev share > 0 and a test share "
          + ">= 0, got " + this);
    }
  }

  /** The ratios carved when a data set has no {@code qrels/train.tsv}. */
  public static final SplitRatios DEFAULT = new SplitRatios(60, 20, 20);

  /** Parses {@code TRAIN/DEV/TEST}, e.g. {@code 60/20/20}; the parts need not add up to 100. */
  public static SplitRatios parse(String value) {
    String[] parts = value.trim().split("/");
    if (parts.length != 3) {
      throw new IllegalArgumentException("--splits takes TRAIN/DEV/TEST shares, e.g. 60/20/20, got '"
          + value + "'");
    }
    try {
      return new SplitRatios(Double.parseDouble(parts[0]), Double.parseDouble(parts[1]),
          Double.parseDouble(parts[2]));
    } catch (NumberFormatException e) {
      throw new IllegalArgumentException("--splits takes TRAIN/DEV/TEST shares, e.g. 60/20/20, got '"
          + value + "'");
    }
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "%s/%s/%s", trim(train), trim(dev), trim(test));
  }

  private static String trim(double share) {
    return share == Math.rint(share) ? Long.toString((long) share) : Double.toString(share);
  }
}
