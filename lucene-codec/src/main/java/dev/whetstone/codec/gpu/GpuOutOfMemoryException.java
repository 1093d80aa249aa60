package dev.whetstone.codec.gpu;

import java.io.IOException;

/**
 * The device had no memory for what one segment needed (its vectors, or search buffers sized to
 * it): that segment is searched on the CPU, the others stay on the GPU.
 */
class GpuOutOfMemoryException extends IOException {
  public GpuOutOfMemoryException(String message, Throwable cause) {
    super(message, cause);
  }
}
