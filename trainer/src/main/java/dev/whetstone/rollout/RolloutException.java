package dev.whetstone.rollout;

/**
 * The cluster is not in a state to roll out to (a replica that cannot be read, replicas serving
 * different models, a log that disagrees with what is served): nothing was switched.
 */
public final class RolloutException extends Exception {
  public RolloutException(String message) {
    super(message);
  }
}
