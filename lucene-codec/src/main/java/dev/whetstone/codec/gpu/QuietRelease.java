package dev.whetstone.codec.gpu;

import java.util.function.Consumer;

/**
 * Frees what a closing index holds, never throwing: Lucene closes it from {@code
 * IndexReader.close}, which must not fail because the device did. After a sticky CUDA error every
 * driver call fails, so each step is still tried and the first failure is logged as one line.
 */
final class QuietRelease {
  private QuietRelease() {}

  interface Step {
    void run() throws Exception;
  }

  /** Runs every step; a failure is reported through {@code log}, once, with {@code what}. */
  static void releaseAll(String what, Consumer<String> log, Step... steps) {
    Exception first = null;
    int failed = 0;
    for (Step step : steps) {
      try {
        step.run();
      } catch (Exception e) {
        failed++;
        if (first == null) {
          first = e;
        }
      }
    }
    if (first != null) {
      log.accept("Whetstone kNN: freeing " + what + " failed (" + failed + " of " + steps.length
          + " steps; device memory stays allocated until the process exits): " + first);
    }
  }
}
