package dev.whetstone.codec.gpu;

/**
 * The reader's GPU path (candidates, CPU rescoring, filters as words, batching) against the
 * emulated backend: runs everywhere, so CI checks all but the CUDA calls.
 */
public class TestEmulatedGpuTopK extends GpuTopKTestCase {
  @Override
  protected GpuKnn newNode() {
    return GpuKnn.withBackend(GpuKnnSettings.DEFAULTS, new EmulatedGpuBackend());
  }
}
