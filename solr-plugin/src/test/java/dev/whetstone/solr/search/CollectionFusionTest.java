package dev.whetstone.solr.search;

import static org.junit.Assert.assertEquals;

import dev.whetstone.search.ReciprocalRankFusion;
import dev.whetstone.solr.search.HybridCandidates.Hit;
import dev.whetstone.solr.search.HybridCandidates.Windows;
import java.util.List;
import org.junit.Test;

/** The coordinator's fusion of the merged windows, without Solr. */
public class CollectionFusionTest {
  private static final ReciprocalRankFusion RRF = new ReciprocalRankFusion(60);

  @Test
  public void fusesByKeyAcrossSidesBestFirst() {
    Windows windows = new Windows(
        List.of(new Hit("a", 10, "s1"), new Hit("b", 5, "s2")),
        List.of(new Hit("b", 0.9f, "s2"), new Hit("c", 0.8f, "s1")));
    List<Hit> fused = CollectionFusion.fuse(RRF, 1, 1, windows);
    assertEquals(List.of("b", "a", "c"), fused.stream().map(Hit::key).toList());
    assertEquals((float) (1 / 62.0 + 1 / 61.0), fused.get(0).score(), 1e-6);
    assertEquals((float) (1 / 61.0), fused.get(1).score(), 1e-6);
    assertEquals((float) (1 / 62.0), fused.get(2).score(), 1e-6);
    assertEquals(List.of("s2", "s1", "s1"), fused.stream().map(Hit::shard).toList());
  }

  @Test
  public void equalScoresAreOrderedByKey() {
    Windows windows = new Windows(List.of(new Hit("y", 3, "s1")), List.of(new Hit("x", 0.5f, "s2")));
    List<Hit> fused = CollectionFusion.fuse(RRF, 1, 1, windows);
    assertEquals(List.of("x", "y"), fused.stream().map(Hit::key).toList());
  }

  @Test
  public void weightsScaleEachSide() {
    Windows windows = new Windows(List.of(new Hit("a", 3, "s1")), List.of(new Hit("b", 0.5f, "s2")));
    List<Hit> fused = CollectionFusion.fuse(RRF, 1, 2, windows);
    assertEquals(List.of("b", "a"), fused.stream().map(Hit::key).toList());
  }

  @Test
  public void debugLinesNumberTheWindow() {
    assertEquals(List.of("1. a (2.0)", "2. b (1.5)"),
        CollectionFusion.asDebug(List.of(new Hit("a", 2, "s1"), new Hit("b", 1.5f, "s2"))));
  }
}
