package dev.whetstone.codec.gpu;

import java.io.IOException;

/** A CUDA, cuBLAS or NVRTC call that did not succeed; the caller falls back to the CPU. */
final class CudaException extends IOException {
  CudaException(String message) {
    super(message);
  }
}
