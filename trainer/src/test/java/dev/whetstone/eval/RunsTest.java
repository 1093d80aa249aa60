package dev.whetstone.eval;

import static org.junit.Assert.assertEquals;

import dev.whetstone.retrieval.Candidate;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class RunsTest {
  @Test
  public void fusesByReciprocalRankWithTiesSharingARank() {
    Map<String, List<Candidate>> lexical = Map.of("q", List.of(
        new Candidate("a", 1, 9f), new Candidate("b", 2, 5f), new Candidate("c", 3, 5f)));
    Map<String, List<Candidate>> dense = Map.of("q", List.of(
        new Candidate("c", 1, 0.9f), new Candidate("d", 2, 0.8f)));
    // a: 1/61; b: 1/62; c: 1/62 (tied with b) + 1/61; d: 1/62
    assertEquals(List.of("c", "a"), Runs.fuse(lexical, dense).get("q").subList(0, 2));
    assertEquals(4, Runs.fuse(lexical, dense).get("q").size());
  }
}
