package dev.whetstone.cli;

/**
 * The exit statuses of every {@code whetstone} command, in one place (docs/rollout.md and
 * docs/training.md list them for users). 4 is reserved for a diverged training run, once {@code
 * train} tells it apart from one not promoted.
 */
public final class ExitStatus {
  /** Done: trained and promoted, deployed, rolled back (or nothing to do). */
  public static final int OK = 0;
  /** A roll-out failed on the cluster; the collection was switched back to what it served. */
  public static final int FAILED = 1;
  /** Bad input: a missing file, a malformed line, an impossible setting (picocli: bad options). */
  public static final int BAD_INPUT = 2;
  /** {@code train}: trained but not promoted, or training diverged. */
  public static final int NOT_PROMOTED = 3;
  /** {@code deploy}: the online gate refused the candidate; nothing was switched. */
  public static final int GATE_REFUSED = 5;

  private ExitStatus() {}
}
