package dev.whetstone.codec;

import org.apache.lucene.tests.util.LuceneTestCase;

/** Out-of-range node settings are refused with the setting's name. */
public class TestGpuKnnSettings extends LuceneTestCase {
  public void testMaxBatchMustFitTheKernelsGrid() {
    for (int maxBatch : new int[] {0, -1, GpuKnnSettings.MAX_BATCH + 1}) {
      IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
          () -> new GpuKnnSettings(true, 0, 1, maxBatch, 0, 1, ""));
      assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.maxBatch=" + maxBatch));
      assertTrue(e.getMessage(), e.getMessage().contains("65535"));
    }
    assertEquals(GpuKnnSettings.MAX_BATCH,
        new GpuKnnSettings(true, 0, 1, GpuKnnSettings.MAX_BATCH, 0, 1, "").maxBatch());
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
    } finally {
      if (before == null) {
        System.clearProperty(property);
      } else {
        System.setProperty(property, before);
      }
    }
  }

  public void testOtherSettingsAreNamedToo() {
    IllegalArgumentException e = expectThrows(IllegalArgumentException.class,
        () -> new GpuKnnSettings(true, 0, -5, 32, 0, 1, ""));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.minVectors=-5"));
    e = expectThrows(IllegalArgumentException.class,
        () -> new GpuKnnSettings(true, 0, 1, 32, 0, 0, ""));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.scoresMB=0"));
  }

  public void testDefaultsBatchUpTo1024WithBoundedScores() {
    GpuKnnSettings defaults = GpuKnnSettings.fromSystemProperties();
    assertEquals(1024, defaults.maxBatch());
    assertEquals(256L << 20, defaults.scoresBytes());
  }
}
