package dev.whetstone.train;

/**
 * How the training job mines and filters negatives.
 *
 * @param depth candidates per source (BM25, dense)
 * @param windowFrom first rank a negative may come from (1: no ranks skipped); 0 switches the
 *     rank window off
 * @param windowTo last rank a negative may come from
 * @param margin drop a candidate the teacher scores at or above this share of the positive's
 *     score (NV-Retriever); 0 switches the rule off
 * @param teacher pretrained model scoring the margin rule and the in-batch guide rule, or
 *     {@code model} for the model being trained's starting point
 * @param guide GISTEmbed: in a batch, a document the teacher scores above a query's positive is
 *     not one of its negatives
 * @param randomNegatives random corpus documents added per query (STAR)
 * @param hnsw mine dense negatives through an HNSW graph instead of exact search
 */
public record MiningConfig(int depth, int windowFrom, int windowTo, float margin, String teacher,
    boolean guide, int randomNegatives, boolean hnsw) {

  /** The teacher name that means the base model itself. */
  public static final String MODEL_AS_TEACHER = "model";
  /** The teacher name that switches the teacher's rules off. */
  public static final String NO_TEACHER = "none";

  public MiningConfig {
    if (depth < 1 || randomNegatives < 0) {
      throw new IllegalArgumentException("depth must be >= 1 and random negatives >= 0");
    }
    if (windowFrom < 0 || windowFrom > 0 && windowTo < windowFrom) {
      throw new IllegalArgumentException("rank window [" + windowFrom + ", " + windowTo
          + "] is empty");
    }
    if (NO_TEACHER.equals(teacher) && (margin > 0 || guide)) {
      throw new IllegalArgumentException("the margin and guide rules need a teacher");
    }
    if (margin < 0 || margin > 1) {
      throw new IllegalArgumentException("margin must be in [0, 1], got " + margin);
    }
  }

  /** Top 100 of each source, no ranks skipped, margin 0.95 scored by the base model, masks on. */
  public static MiningConfig defaults() {
    return new MiningConfig(100, 1, 100, 0.95f, MODEL_AS_TEACHER, true, 0, false);
  }

  /** Whether the rank window can remove anything: one spanning every mined rank cannot. */
  public boolean windowActive() {
    return windowFrom > 1 || windowFrom == 1 && windowTo < depth;
  }
}
