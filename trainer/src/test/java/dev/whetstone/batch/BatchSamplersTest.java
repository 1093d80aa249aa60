package dev.whetstone.batch;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.model.Encoder;
import dev.whetstone.workspace.ModelCache;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Samplers on SciFact's training pairs. SciFact repeats itself: 248 documents are positives of
 * several train queries and some queries share their text (85 and 86); two identical query texts
 * must never meet in one batch.
 */
public class BatchSamplersTest {
  private static List<TrainingExample> examples;

  @BeforeClass
  public static void trainingPairs() throws Exception {
    BeirDataset scifact = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"));
    Map<String, String> queries = scifact.queries();
    Qrels train = scifact.qrels("train");
    List<String> allPositives = new ArrayList<>();
    train.queryIds().forEach(q -> allPositives.addAll(train.judgments(q).keySet()));
    examples = new ArrayList<>();
    int n = 0;
    for (String q : train.queryIds()) {
      for (String positive : train.judgments(q).keySet()) {
        // negatives: the positives of the next pairs, so texts collide across examples
        List<String> negatives = new ArrayList<>();
        for (int k = 1; k <= 3; k++) {
          String candidate = allPositives.get((n + k) % allPositives.size());
          if (!train.judgments(q).containsKey(candidate)) {
            negatives.add(candidate);
          }
        }
        examples.add(new TrainingExample(q, queries.get(q), positive, negatives));
        n++;
      }
    }
  }

  private static void assertNoDuplicateQueryText(List<TrainingExample> batch) {
    Set<String> seen = new HashSet<>();
    for (TrainingExample e : batch) {
      assertTrue("duplicate query text in a batch: " + e.queryText(),
          seen.add(TextKey.of(e.queryText())));
    }
  }

  private static void assertEachExampleOnce(List<List<TrainingExample>> batches, int batchSize) {
    List<TrainingExample> all = new ArrayList<>();
    batches.forEach(b -> {
      assertTrue(b.size() <= batchSize);
      all.addAll(b);
    });
    assertEquals(examples.size(), all.size());
    assertEquals(new HashSet<>(examples), new HashSet<>(all));
  }

  @Test
  public void batchesNeverRepeatAQueryTextAndRepeatWithTheSeed() {
    DistinctQueryBatchSampler sampler = new DistinctQueryBatchSampler();
    List<List<TrainingExample>> batches = sampler.batches(examples, 32, new Random(7));
    assertEachExampleOnce(batches, 32);
    batches.forEach(BatchSamplersTest::assertNoDuplicateQueryText);
    // SciFact's train pairs repeat queries (several positives) and texts (85 and 86), but
    // documents shared between examples no longer split batches
    assertTrue("packing leaves few partial batches: " + batches.size(),
        batches.size() <= examples.size() / 32 + 6);
    assertEquals(batches, sampler.batches(examples, 32, new Random(7)));
    assertNotEquals(batches, sampler.batches(examples, 32, new Random(8)));
  }

  @Test
  public void topicBalancedBatchesComeFromOneClusterEach() throws Exception {
    List<TrainingExample> subset = examples.subList(0, 240);
    Map<String, String> texts = new LinkedHashMap<>();
    subset.forEach(e -> texts.put(e.queryId(), e.queryText()));
    Map<String, float[]> vectors = new HashMap<>();
    try (Encoder encoder = Encoder.load(ModelCache.ensure(Paths.get("target", "test-models"),
        "all-minilm-l6-v2"))) {
      List<String> ids = new ArrayList<>(texts.keySet());
      float[][] embedded = encoder.encodeQueries(new ArrayList<>(texts.values()));
      for (int i = 0; i < ids.size(); i++) {
        vectors.put(ids.get(i), embedded[i]);
      }
    }
    TopicBalancedBatchSampler sampler = new TopicBalancedBatchSampler(vectors, 6, 11);
    List<List<TrainingExample>> batches = sampler.batches(subset, 16, new Random(3));
    List<TrainingExample> all = new ArrayList<>();
    Set<Integer> clusters = new HashSet<>();
    for (List<TrainingExample> batch : batches) {
      int cluster = sampler.clusterOf(batch.get(0).queryId());
      clusters.add(cluster);
      for (TrainingExample e : batch) {
        assertEquals("batch mixes topics", cluster, sampler.clusterOf(e.queryId()));
      }
      assertNoDuplicateQueryText(batch);
      all.addAll(batch);
    }
    assertEquals(new HashSet<>(subset), new HashSet<>(all));
    assertEquals(subset.size(), all.size());
    assertEquals(6, clusters.size());
    // the near-identical macrophage claims land in one topic
    assertEquals(sampler.clusterOf("85"), sampler.clusterOf("88"));
    assertEquals(sampler.clusterOf("85"), sampler.clusterOf("89"));
    // the clustering is fixed by its seed; the batches by the sampler's random
    TopicBalancedBatchSampler again = new TopicBalancedBatchSampler(vectors, 6, 11);
    for (String id : vectors.keySet()) {
      assertEquals(sampler.clusterOf(id), again.clusterOf(id));
    }
    assertEquals(batches, again.batches(subset, 16, new Random(3)));
  }
}
