package dev.whetstone.train;

import dev.whetstone.filter.AuditLog;
import dev.whetstone.filter.FalseNegativeRules;
import dev.whetstone.filter.PositiveAwareMarginFilter;
import dev.whetstone.filter.RankWindowFilter;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.mine.RetrievalSetup;

/**
 * How the training job mines and filters negatives.
 *
 * @param depth candidates per source (BM25, dense)
 * @param windowFrom first rank a negative may come from (1: no ranks skipped); 0 switches the
 *     rank window off
 * @param windowTo last rank a negative may come from
 * @param relativeMargin keep a candidate only if the teacher scores it at most (1 - this) times
 *     the positive, as sentence-transformers' {@code mine_hard_negatives(relative_margin=...)}
 *     (NV-Retriever's 95% is 0.05); null switches the rule off
 * @param teacher pretrained model scoring the relative-margin rule and the in-batch guide rule, or
 *     {@code model} for the model being trained's starting point; a name that denotes that model
 *     itself means it too (the rule is {@link RetrievalSetup}'s)
 * @param guide GISTEmbed: in a batch, a document the teacher scores above a query's positive is
 *     not one of its negatives
 * @param randomNegatives random corpus documents added per query (STAR)
 * @param hnsw mine dense negatives through an HNSW graph instead of exact search
 * @param audit what the audit file keeps of the removals: counts and a sample, or every one
 */
public record MiningConfig(int depth, int windowFrom, int windowTo, Float relativeMargin,
    String teacher, boolean guide, int randomNegatives, boolean hnsw, AuditLog.Mode audit) {

  /** The teacher of {@code whetstone train} and {@code mine}, and of the click noise model. */
  public static final String DEFAULT_TEACHER = "bge-small-en-v1.5";
  /** The teacher name that means the base model itself ({@link RetrievalSetup}'s rule). */
  public static final String MODEL_AS_TEACHER = RetrievalSetup.MODEL_AS_TEACHER;
  /** The teacher name that switches the teacher's rules off. */
  public static final String NO_TEACHER = RetrievalSetup.NO_TEACHER;

  public MiningConfig {
    if (depth < 1 || randomNegatives < 0) {
      throw new IllegalArgumentException("depth must be >= 1 and random negatives >= 0");
    }
    if (windowFrom < 0 || windowFrom > 0 && windowTo < windowFrom) {
      throw new IllegalArgumentException("rank window [" + windowFrom + ", " + windowTo
          + "] is empty");
    }
    if (NO_TEACHER.equals(teacher) && (relativeMargin != null || guide)) {
      throw new IllegalArgumentException("the relative-margin and guide rules need a teacher");
    }
    if (relativeMargin != null && !(relativeMargin >= 0 && relativeMargin < 1)) {
      throw new IllegalArgumentException("relative margin must be in [0, 1), got " + relativeMargin);
    }
  }

  /**
   * Top 100 of each source, no ranks skipped, relative margin 0.05 scored by the base model,
   * masks on, a sampled audit.
   */
  public static MiningConfig defaults() {
    return new MiningConfig(100, 1, 100, 0.05f, MODEL_AS_TEACHER, true, 0, false,
        AuditLog.Mode.SAMPLE);
  }

  /** Whether the rank window can remove anything: one spanning every mined rank cannot. */
  public boolean windowActive() {
    return windowFrom > 1 || windowFrom == 1 && windowTo < depth;
  }

  /**
   * The rank window, if it can remove anything, and the relative margin, if on.
   *
   * @param teacher scores the margin; may be null when the margin is off
   */
  public FalseNegativeRules rules(RelevanceScorer teacher) {
    return new FalseNegativeRules(windowActive() ? new RankWindowFilter(windowFrom, windowTo) : null,
        relativeMargin == null ? null : new PositiveAwareMarginFilter(teacher, relativeMargin));
  }
}
