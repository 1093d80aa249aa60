package dev.whetstone.cli;

import dev.whetstone.report.TrainingReport;
import dev.whetstone.rollout.QueryTowerRollout;

/**
 * The exit statuses of every {@code whetstone} command, in one place, for a scheduler to act on
 * (README.md and docs/rollout.md list them for users).
 */
public final class ExitStatus {
  /** Done: trained and promoted, deployed, rolled back (or nothing to do). */
  public static final int OK = 0;
  /** A roll-out failed on the cluster; the collection was switched back to what it served. */
  public static final int FAILED = 1;
  /** Bad input: a missing file, a malformed line, an impossible setting (picocli: bad options). */
  public static final int BAD_INPUT = 2;
  /** {@code train}: trained but not promoted (no better than the current model on dev). */
  public static final int NOT_PROMOTED = 3;
  /** {@code train}: training diverged (a NaN or infinity in the loss, a gradient or a weight). */
  public static final int DIVERGED = 4;
  /** {@code deploy}: the online gate refused the candidate; nothing was switched. */
  public static final int GATE_REFUSED = 5;

  private ExitStatus() {}

  /**
   * A training run's status before any deployment. A diverged run is not promoted either, but
   * gets its own status: a scheduler can tell a wrecked run from a model that is no better.
   */
  static int of(TrainingReport report) {
    if (report.divergence() != null) {
      return DIVERGED;
    }
    return report.promoted() ? OK : NOT_PROMOTED;
  }

  static int of(QueryTowerRollout.Outcome outcome) {
    return switch (outcome) {
      case DEPLOYED, UNCHANGED -> OK;
      case GATE_REFUSED -> GATE_REFUSED;
      case FAILED -> FAILED;
    };
  }
}
