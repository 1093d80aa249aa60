package dev.whetstone.train;

import java.util.Locale;

/** What the job trains. */
public enum TrainingMode {
  /** One shared encoder, both towers trained: the corpus must be re-embedded after promotion. */
  FULL,
  /**
   * ADORE: only the query encoder is trained, against the fixed document embeddings of the current
   * model, so a cluster upgrades without re-embedding its corpus.
   */
  QUERY_TOWER;

  public static TrainingMode parse(String value) {
    try {
      return valueOf(value.trim().replace('-', '_').toUpperCase(Locale.ROOT));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("mode must be 'full' or 'query-tower', got '" + value + "'");
    }
  }

  public String label() {
    return name().toLowerCase(Locale.ROOT).replace('_', '-');
  }
}
