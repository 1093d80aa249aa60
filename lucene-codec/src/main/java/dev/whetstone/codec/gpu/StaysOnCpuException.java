package dev.whetstone.codec.gpu;



/**
 * A backend declined a segment field's vectors ({@link KnnFallback#MEMORY_BUDGET}, {@link
 * KnnFallback#VECTORS_BEYOND_FP16}): nothing is wrong with the device, the field is searched on the
 * CPU. Its message says why, for the log line.
 */
public final class StaysOnCpuException extends Exception {
  private final KnnFallback reason;

  public StaysOnCpuException(KnnFallback reason, String message) {
    super(message, null, false, false);
    this.reason = reason;
  }

  public KnnFallback reason() {
    return reason;
  }
}
