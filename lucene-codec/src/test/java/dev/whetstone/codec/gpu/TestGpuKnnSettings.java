package dev.whetstone.codec.gpu;

import dev.whetstone.codec.gpu.GpuKnn;
import java.util.Map;
import org.apache.lucene.tests.util.LuceneTestCase;

/** Out-of-range node settings are refused with the setting's name; where each value comes from. */
public class TestGpuKnnSettings extends LuceneTestCase {
  public void testMaxBatchMustFitTheKernelsGrid() {
    for (int maxBatch : new int[] {0, -1, GpuKnnSettings.MAX_BATCH + 1}) {
      IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
          () -> GpuKnnSettings.DEFAULTS.withMaxBatch(maxBatch));
      assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.maxBatch=" + maxBatch));
      assertTrue(e.getMessage(), e.getMessage().contains("65535"));
    }
    assertEquals(GpuKnnSettings.MAX_BATCH,
        GpuKnnSettings.DEFAULTS.withMaxBatch(GpuKnnSettings.MAX_BATCH).maxBatch());
  }

  public void testSystemPropertyOutOfRangeIsNamed() {
    String property = GpuKnnSettings.PREFIX + "maxBatch";
    String before = System.getProperty(property);
    try {
      System.setProperty(property, "70000");
      IllegalArgumentException e =
          expectThrows(IllegalArgumentException.class, GpuKnnSettings::fromSystemProperties);
      assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.maxBatch=70000"));
      System.setProperty(property, "4294967297"); // 2^32 + 1: would be 1 as an int
      e = expectThrows(IllegalArgumentException.class, GpuKnnSettings::fromSystemProperties);
      assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.maxBatch=4294967297"));
      System.setProperty(property, "many");
      e = expectThrows(IllegalArgumentException.class, GpuKnnSettings::fromSystemProperties);
      assertEquals("system property whetstone.gpu.maxBatch=many is not a whole number",
          e.getMessage());
    } finally {
      restore(property, before);
    }
  }

  public void testOtherSettingsAreNamedToo() {
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
        () -> GpuKnnSettings.DEFAULTS.withMinVectors(-5));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.minVectors=-5"));
    e = expectThrows(IllegalArgumentException.class,
        () -> GpuKnnSettings.DEFAULTS.withScoresBytes(0));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.scoresMB=0"));
    e = expectThrows(IllegalArgumentException.class,
        () -> GpuKnnSettings.DEFAULTS.withMemoryBudgetBytes(-1L << 20));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.memoryBudgetMB=-1"));
    e = expectThrows(IllegalArgumentException.class,
        () -> GpuKnnSettings.DEFAULTS.withBatchWindowNanos(-1000));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.batchWindowMicros=-1"));
    e = expectThrows(IllegalArgumentException.class,
        () -> GpuKnnSettings.DEFAULTS.withSearchMode(null));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.knn.mode"));
  }

  public void testDefaultsBatchUpTo1024WithBoundedScores() {
    GpuKnnSettings defaults = GpuKnnSettings.DEFAULTS;
    assertTrue(defaults.enabled());
    assertEquals(0, defaults.memoryBudgetBytes());
    assertEquals(10_000, defaults.minVectors());
    assertEquals(1024, defaults.maxBatch());
    assertEquals(0, defaults.batchWindowNanos());
    assertEquals(256L << 20, defaults.scoresBytes());
    assertEquals("", defaults.libraryPath());
    assertEquals(KnnSearchMode.AUTO, defaults.searchMode());
  }

  public void testArgumentsOverTheSystemPropertiesOverTheDefaults() {
    String minVectors = GpuKnnSettings.PREFIX + "minVectors";
    String maxBatch = GpuKnnSettings.PREFIX + "maxBatch";
    String[] before = {System.getProperty(minVectors), System.getProperty(maxBatch),
        System.getProperty(KnnSearchMode.PROPERTY)};
    try {
      System.setProperty(minVectors, "5");
      System.setProperty(maxBatch, "64");
      System.setProperty(KnnSearchMode.PROPERTY, "exact");
      Map<String, String> args = Map.of("maxBatch", "128", "knnSearchMode", "hnsw",
          "batchWindowMicros", "50", "scoresMB", "16");
      GpuKnnSettings settings = GpuKnnSettings.fromArgs(args::get);
      assertEquals("the argument", 128, settings.maxBatch());
      assertEquals("the argument", KnnSearchMode.HNSW, settings.searchMode());
      assertEquals(50_000, settings.batchWindowNanos());
      assertEquals(16L << 20, settings.scoresBytes());
      assertEquals("the system property", 5, settings.minVectors());
      assertEquals("the default", GpuKnnSettings.DEFAULT_MEMORY_BUDGET_MB,
          settings.memoryBudgetBytes() >> 20);
      GpuKnnSettings fromProperties = GpuKnnSettings.fromSystemProperties();
      assertEquals(64, fromProperties.maxBatch());
      assertEquals(KnnSearchMode.EXACT, fromProperties.searchMode());

      IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
          () -> GpuKnnSettings.fromArgs(Map.of("knnSearchMode", "fast")::get));
      assertEquals("GPU kNN argument knnSearchMode: \"fast\" is not auto, hnsw or exact",
          e.getMessage());
      System.setProperty(KnnSearchMode.PROPERTY, "fast");
      e = expectThrows(IllegalArgumentException.class, GpuKnnSettings::fromSystemProperties);
      assertEquals("system property whetstone.knn.mode: \"fast\" is not auto, hnsw or exact",
          e.getMessage());
    } finally {
      restore(minVectors, before[0]);
      restore(maxBatch, before[1]);
      restore(KnnSearchMode.PROPERTY, before[2]);
    }
  }

  public void testTheNodesSettingsAreFixedOnceRead() {
    GpuKnn node = GpuKnn.withSettings(GpuKnnSettings.DEFAULTS);
    GpuKnnSettings settings = node.settings();
    GpuKnnSettings other = settings.withMinVectors(settings.minVectors() + 1);
    assertSame("a later request is ignored", settings, node.initSettings(other));
    assertSame(settings, node.settings());
    assertEquals("and counted", 1, node.ignoredSettings());
    node.initSettings(GpuKnnSettings.DEFAULTS.withMinVectors(settings.minVectors()));
    assertEquals("equal settings again are not a conflict", 1, node.ignoredSettings());
  }

  private static void restore(String property, String value) {
    if (value == null) {
      System.clearProperty(property);
    } else {
      System.setProperty(property, value);
    }
  }
}
