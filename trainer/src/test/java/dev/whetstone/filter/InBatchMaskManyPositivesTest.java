package dev.whetstone.filter;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.batch.QueryPool;
import dev.whetstone.batch.TrainingExample;
import dev.whetstone.batch.TrainingExamples;
import dev.whetstone.data.Seeds;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.Test;

/**
 * With hundreds of positives per query (graded judgments, clicks), another batch query's positive
 * or hard negative is often one of this query's positives: every such column must be masked.
 */
public class InBatchMaskManyPositivesTest {
  @Test
  public void everyLabeledPositiveOfABatchQueryIsMaskedOutOfItsNegatives() {
    int queries = 16;
    Map<String, List<String>> positives = new LinkedHashMap<>();
    List<QueryPool> pools = new ArrayList<>();
    Random random = new Random(5);
    for (int q = 0; q < queries; q++) {
      // 200 positives each out of 600 shared documents: neighbours overlap heavily
      List<String> docs = new ArrayList<>();
      Map<String, Double> graded = new LinkedHashMap<>();
      for (int d = 0; d < 200; d++) {
        String doc = "d" + ((q * 37 + d * 3) % 600);
        if (graded.putIfAbsent(doc, 1.0 + random.nextInt(2)) == null) {
          docs.add(doc);
        }
      }
      positives.put("q" + q, docs);
      List<String> negatives = new ArrayList<>();
      for (int n = 0; n < 30; n++) {
        String doc = "d" + random.nextInt(600);
        if (!graded.containsKey(doc) && !negatives.contains(doc)) {
          negatives.add(doc);
        }
      }
      pools.add(new QueryPool("q" + q, "query " + q, graded, negatives));
    }
    InBatchMask mask = new InBatchMask(positives, id -> "text of " + id, null,
        EnumSet.of(InBatchMask.Rule.LABELED_POSITIVE, InBatchMask.Rule.DUPLICATE_TEXT), null);

    long collisions = 0;
    for (int epoch = 0; epoch < 5; epoch++) {
      List<TrainingExample> batch = TrainingExamples.draw(pools, 7, Seeds.random(42, epoch));
      List<String> columns = InBatchMask.columns(batch);
      assertEquals("each document is one column", columns.size(),
          new HashSet<>(columns).size());
      int[] targets = InBatchMask.targets(batch, columns);
      boolean[][] masked = mask.mask(batch, columns);
      for (int i = 0; i < batch.size(); i++) {
        List<String> own = positives.get(batch.get(i).queryId());
        assertEquals(batch.get(i).positiveId(), columns.get(targets[i]));
        for (int j = 0; j < columns.size(); j++) {
          boolean positive = own.contains(columns.get(j));
          if (j == targets[i]) {
            assertTrue("the target column is the query's own positive", positive);
            assertTrue("the target is never masked", !masked[i][j]);
          } else {
            assertEquals("query " + i + ", column " + j + " (" + columns.get(j) + ")", positive,
                masked[i][j]);
            collisions += positive ? 1 : 0;
          }
        }
      }
    }
    assertTrue("the batches must hold colliding positives for this test to mean anything",
        collisions > 100);
  }
}
