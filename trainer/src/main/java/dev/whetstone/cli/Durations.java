package dev.whetstone.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** Durations as people type them: {@code 45m}, {@code 2h}, {@code 1h30m}, {@code 90s}. */
final class Durations {
  private static final Pattern DURATION =
      Pattern.compile("(?:(\\d+)h)?\\s*(?:(\\d+)m)?\\s*(?:(\\d+)s)?");

  private Durations() {}

  /** Seconds in {@code value}; fails naming the option when it is not a duration above 0. */
  static long parseSeconds(String option, String value) {
    Matcher m = DURATION.matcher(value.trim().toLowerCase(Locale.ROOT));
    long seconds = 0;
    if (m.matches()) {
      seconds = part(m.group(1)) * 3600 + part(m.group(2)) * 60 + part(m.group(3));
    }
    if (seconds <= 0) {
      throw new IllegalArgumentException(option + " takes a duration such as 45m, 2h, 1h30m or "
          + "90s, got '" + value + "'");
    }
    return seconds;
  }

  private static long part(String digits) {
    return digits == null ? 0 : Long.parseLong(digits);
  }
}
