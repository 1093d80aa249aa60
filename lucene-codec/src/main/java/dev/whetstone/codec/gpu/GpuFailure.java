package dev.whetstone.codec.gpu;

import org.apache.lucene.store.AlreadyClosedException;

/**
 * What an exception from a {@link GpuVectorIndex} or {@link GpuKnnBackend} means for later
 * searches. Looks through causes: {@link QueryCoalescer} hands a batch's error to each of its
 * callers wrapped in an exception of their own.
 */
enum GpuFailure {
  /**
   * The index was closed under the search (its reader is closing, or the segment was just moved to
   * the CPU): nothing wrong with the GPU; this search runs on the CPU path, which fails in turn if
   * the reader is closed.
   */
  CLOSED,
  /** The device lacked memory for this segment: this segment moves to the CPU, once. */
  SEGMENT_OUT_OF_MEMORY,
  /** Anything else (a CUDA error, often sticky): every later search runs on the CPU. */
  DEVICE;

  static GpuFailure of(Throwable error) {
    for (Throwable t = error; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof AlreadyClosedException) {
        return CLOSED;
      }
      if (t instanceof GpuOutOfMemoryException) {
        return SEGMENT_OUT_OF_MEMORY;
      }
    }
    return DEVICE;
  }
}
