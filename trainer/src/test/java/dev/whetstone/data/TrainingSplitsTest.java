package dev.whetstone.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.Test;

public class TrainingSplitsTest {
  private static BeirDataset dataset(String name) throws Exception {
    return BeirDataset.open(Path.of(System.getProperty("whetstone.data")).resolve(name));
  }

  @Test
  public void carvesASeededDevSplitFromTrainWhenThereIsNone() throws Exception {
    TrainingSplits splits = TrainingSplits.of(dataset("scifact"), null, 0.1, 7);
    assertTrue(splits.origin(), splits.origin().startsWith("dev carved from train"));
    assertEquals(81, splits.dev().queryIds().size());
    assertEquals(809 - 81, splits.train().queryIds().size());
    assertDisjoint(splits.train(), splits.dev());
    assertEquals(300, splits.test().queryIds().size());
    assertEquals(splits.dev().queryIds(),
        TrainingSplits.of(dataset("scifact"), null, 0.1, 7).dev().queryIds());
    assertTrue(!splits.dev().queryIds()
        .equals(TrainingSplits.of(dataset("scifact"), null, 0.1, 8).dev().queryIds()));
    assertEquals(16, splits.limitTrain(16).train().queryIds().size());
  }

  @Test
  public void aDataSetWithOnlyTestJudgmentsIsCarvedByQuery() throws Exception {
    // Cranfield: 1,612 judgments over 225 queries, all in qrels/test.tsv
    TrainingSplits splits = TrainingSplits.of(dataset("cranfield"), null, 0.1, 42);
    assertTrue(splits.origin(), splits.origin().contains("carved by query from test.tsv, 60/20/20"));
    assertEquals(135, splits.train().queryIds().size());
    assertEquals(45, splits.dev().queryIds().size());
    assertEquals(45, splits.test().queryIds().size());
    assertDisjoint(splits.train(), splits.dev());
    assertDisjoint(splits.train(), splits.test());
    assertDisjoint(splits.dev(), splits.test());
    // every judgment lands in exactly one split, with its query
    assertEquals(1612, splits.train().size() + splits.dev().size() + splits.test().size());
  }

  @Test
  public void explicitRatiosCarveEveryJudgedQuery() throws Exception {
    TrainingSplits splits = TrainingSplits.of(dataset("scifact"), SplitRatios.parse("8/1/1"),
        0.1, 42);
    // SciFact's train and test files judge 809 + 300 distinct queries
    assertEquals(1109, splits.train().queryIds().size() + splits.dev().queryIds().size()
        + splits.test().queryIds().size());
    assertEquals(111, splits.dev().queryIds().size());
    TrainingSplits noTest = TrainingSplits.of(dataset("cranfield"), SplitRatios.parse("80/20/0"),
        0.1, 42);
    assertNull(noTest.test());
    assertEquals(180, noTest.train().queryIds().size());
  }

  @Test
  public void badRatiosAreRefusedNamingTheValue() {
    for (String bad : List.of("60/20", "a/b/c", "60/0/40", "-1/20/20")) {
      IllegalArgumentException e =
          assertThrows(IllegalArgumentException.class, () -> SplitRatios.parse(bad));
      assertTrue(e.getMessage(), e.getMessage().contains("60/20/20") || e.getMessage().contains("share"));
    }
    assertEquals("60/20/20", SplitRatios.parse(" 60/20/20 ").toString());
  }

  private static void assertDisjoint(Qrels a, Qrels b) {
    Set<String> overlap = new HashSet<>(a.queryIds());
    overlap.retainAll(b.queryIds());
    assertTrue("splits share " + overlap, overlap.isEmpty());
  }
}
