package dev.whetstone.codec.gpu;

/** The same checks on the real GPU backend; skipped, with the reason, where there is none. */
public class TestCudaGpuTopK extends GpuTopKTestCase {
  @Override
  protected void installBackend() {
    GpuKnn.setBackend(null); // load the real one
    assumeTrue("GPU kNN tests skipped: " + GpuKnn.unavailableReason(), GpuKnn.backend() != null);
  }
}
