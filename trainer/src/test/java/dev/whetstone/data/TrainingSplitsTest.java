package dev.whetstone.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import org.junit.Test;

public class TrainingSplitsTest {
  private static BeirDataset scifact() throws Exception {
    return BeirDataset.open(Path.of(System.getProperty("whetstone.data")).resolve("scifact"));
  }

  @Test
  public void carvesASeededDevSplitFromTrainWhenThereIsNone() throws Exception {
    TrainingSplits splits = TrainingSplits.of(scifact(), 0.1, 7);
    assertTrue(splits.devCarved());
    assertEquals(81, splits.dev().queryIds().size());
    assertEquals(809 - 81, splits.train().queryIds().size());
    Set<String> overlap = new HashSet<>(splits.train().queryIds());
    overlap.retainAll(splits.dev().queryIds());
    assertTrue("train and dev share " + overlap, overlap.isEmpty());
    assertEquals(300, splits.test().queryIds().size());
    assertEquals(splits.dev().queryIds(), TrainingSplits.of(scifact(), 0.1, 7).dev().queryIds());
    assertTrue(!splits.dev().queryIds().equals(TrainingSplits.of(scifact(), 0.1, 8).dev().queryIds()));
    assertEquals(16, splits.limitTrain(16).train().queryIds().size());
  }
}
