package dev.whetstone.codec.gpu;

import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * Closing a device index after a sticky CUDA error: every step is still tried, one line is
 * logged, nothing is thrown. Unverified without a device: which driver calls fail in that state
 * (all of them, by CUDA's documentation).
 */
public class TestQuietRelease extends LuceneTestCase {
  public void testEveryStepRunsAndTheFirstFailureIsLoggedOnce() {
    List<String> ran = new ArrayList<>();
    List<String> log = new ArrayList<>();
    QuietRelease.releaseAll("a segment's GPU vectors", log::add,
        () -> ran.add("makeCurrent"),
        () -> {
          ran.add("free vectors");
          throw new java.io.IOException("cuMemFree failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)");
        },
        () -> {
          ran.add("free norms");
          throw new java.io.IOException("cuMemFree failed: CUDA_ERROR_ILLEGAL_ADDRESS (700)");
        },
        () -> ran.add("free filters"));
    assertEquals(List.of("makeCurrent", "free vectors", "free norms", "free filters"), ran);
    assertEquals(1, log.size());
    assertTrue(log.get(0), log.get(0).contains("a segment's GPU vectors"));
    assertTrue(log.get(0), log.get(0).contains("2 of 4 steps"));
    assertTrue(log.get(0), log.get(0).contains("CUDA_ERROR_ILLEGAL_ADDRESS"));
  }

  public void testNothingIsLoggedWhenAllSucceed() {
    List<String> log = new ArrayList<>();
    QuietRelease.releaseAll("x", log::add, () -> {}, () -> {});
    assertTrue(log.isEmpty());
  }

  public void testARuntimeFailureIsCaughtToo() {
    List<String> log = new ArrayList<>();
    QuietRelease.releaseAll("x", log::add, () -> {
      throw new IllegalStateException("segment already closed");
    });
    assertEquals(1, log.size());
  }
}
