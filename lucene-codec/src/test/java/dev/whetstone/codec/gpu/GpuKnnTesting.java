package dev.whetstone.codec.gpu;

/** Test access to {@link GpuKnn}'s backend for tests outside this package. */
public final class GpuKnnTesting {
  private GpuKnnTesting() {}

  /** As {@link GpuKnn#setBackend}: {@code backend} behind every reader; null loads it again. */
  public static void setBackend(GpuKnnBackend backend) {
    GpuKnn.setBackend(backend);
  }
}
