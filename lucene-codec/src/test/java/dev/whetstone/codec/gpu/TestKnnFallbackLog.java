package dev.whetstone.codec.gpu;

import dev.whetstone.codec.FallbackWarnings;
import org.apache.lucene.tests.util.LuceneTestCase;

/** The keys of segment fallbacks already logged stay bounded; a dropped one is logged again. */
public class TestKnnFallbackLog extends LuceneTestCase {
  public void testLoggedKeysAreBounded() {
    KnnFallback reason = KnnFallback.K_TOO_LARGE;
    String segment = "test-" + random().nextLong();
    try (FallbackWarnings warnings = new FallbackWarnings()) {
      KnnFallbackLog.segment(reason, segment, "f0", "line 0");
      KnnFallbackLog.segment(reason, segment, "f0", "line 0 again");
      assertEquals(1, warnings.lines(reason).size());
      for (int i = 1; i <= KnnFallbackLog.MAX_LOGGED_KEYS; i++) {
        KnnFallbackLog.segment(reason, segment, "f" + i, "line " + i);
      }
      assertEquals(KnnFallbackLog.MAX_LOGGED_KEYS + 1, warnings.lines(reason).size());
      KnnFallbackLog.segment(reason, segment, "f0", "line 0 after it was dropped");
      assertEquals(KnnFallbackLog.MAX_LOGGED_KEYS + 2, warnings.lines(reason).size());
      assertEquals(KnnFallbackLog.MAX_LOGGED_KEYS + 3, warnings.counted(reason));
    }
  }

  public void testMetricNames() {
    assertEquals("whetstone.fallback.memoryBudget", KnnFallback.MEMORY_BUDGET.metricName());
    assertEquals("whetstone.fallback.noFfm", KnnFallback.NO_FFM.metricName());
  }
}
