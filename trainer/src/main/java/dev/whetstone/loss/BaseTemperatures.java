package dev.whetstone.loss;

import java.util.Locale;
import java.util.Map;

/**
 * The InfoNCE temperature each pretrained base was trained at, the default for fine-tuning it. A
 * base tuned at a softer temperature than its own spreads its compressed score range first and
 * loses its ranking on the way: on SciFact's dev, e5-small-v2 at 0.05 fell from 0.7289 to 0.7079
 * in 12 steps and never recovered, while at its own 0.01 it rose (docs/training.md).
 */
public final class BaseTemperatures {
  /** sentence-transformers' MultipleNegativesRankingLoss (scale 20): all-MiniLM's and any other. */
  public static final float DEFAULT = 0.05f;

  private static final Map<String, Float> PUBLISHED = Map.of(
      "all-minilm-l6-v2", DEFAULT,
      "all-minilm-l6-v2-q", DEFAULT,
      "bge-small-en-v1.5", 0.02f, // FlagEmbedding's fine-tuning temperature
      "e5-small-v2", 0.01f, // the E5 paper's contrastive pre-training and fine-tuning
      "e5-small-v2-q", 0.01f);

  private BaseTemperatures() {}

  /** The temperature of the base model named {@code name}; {@link #DEFAULT} for any other. */
  public static float of(String name) {
    return PUBLISHED.getOrDefault(name.trim().toLowerCase(Locale.ROOT), DEFAULT);
  }
}
