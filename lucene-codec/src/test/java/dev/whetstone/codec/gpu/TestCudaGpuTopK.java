package dev.whetstone.codec.gpu;

/** The same checks on the JVM's GPU backend; skipped, with the reason, where there is none. */
public class TestCudaGpuTopK extends GpuTopKTestCase {
  @Override
  protected GpuKnn newNode() {
    GpuKnn node = GpuKnn.node();
    assumeTrue("GPU kNN tests skipped: " + node.unavailableReason(), node.backend() != null);
    return node;
  }
}
