package dev.whetstone.codec.gpu;

import java.io.IOException;

/** A CUDA, cuBLAS or NVRTC call that did not succeed; the caller falls back to the CPU. */
final class CudaException extends IOException {
  private final boolean outOfMemory;

  CudaException(String message) {
    this(message, false);
  }

  /** @param outOfMemory the call failed for lack of device or page-locked memory */
  CudaException(String message, boolean outOfMemory) {
    super(message);
    this.outOfMemory = outOfMemory;
  }

  /**
   * What the reader is told: an out-of-memory as {@link GpuOutOfMemoryException} (that segment
   * moves to the CPU), anything else as is (the process moves to the CPU).
   */
  IOException forReader() {
    return outOfMemory ? new GpuOutOfMemoryException(getMessage(), this) : this;
  }
}
