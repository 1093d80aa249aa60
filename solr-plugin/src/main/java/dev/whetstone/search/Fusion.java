package dev.whetstone.search;

/**
 * How {@link HybridQuery} turns one side's ranked candidates into that side's share of the fused
 * score. A document that is not among a side's candidates gets nothing from that side.
 */
public interface Fusion {
  /**
   * The contribution of each candidate of one side, before weighting, given the candidates' raw
   * scores in rank order (best first). Contributions are finite and never negative, because Lucene
   * scores must not be.
   */
  double[] contributions(float[] rankedScores);

  /**
   * The contributions of the dense side's candidates; by default the same rule as {@link
   * #contributions} (what the lexical side gets).
   */
  default double[] denseContributions(float[] rankedScores) {
    return contributions(rankedScores);
  }
}
