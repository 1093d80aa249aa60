package dev.whetstone.batch;

import java.util.Locale;

/** Texts that differ only in case or whitespace count as duplicates. */
public final class TextKey {
  private TextKey() {}

  public static String of(String text) {
    return text.strip().replaceAll("\\s+", " ").toLowerCase(Locale.ROOT);
  }
}
