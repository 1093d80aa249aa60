package dev.whetstone.retrieval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import dev.whetstone.data.Qrels;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class LabeledQueryTest {
  @Test
  public void judgedQueriesKeepTheQrelsOrderAndOnlyTheirPositives() {
    Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
    judgments.put("9", Map.of("d1", 1));
    judgments.put("2", Map.of("d2", 0)); // judged, but no positive: nothing to mine against
    judgments.put("5", Map.of("d3", 2, "d4", 0));
    List<LabeledQuery> queries = LabeledQuery.judged(new Qrels(judgments),
        Map.of("9", "nine", "2", "two", "5", "five"));
    assertEquals(List.of(new LabeledQuery("9", "nine", List.of("d1")),
        new LabeledQuery("5", "five", List.of("d3"))), queries);
  }

  @Test
  public void aJudgedQueryWithoutTextIsNamed() {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> LabeledQuery.judged(new Qrels(Map.of("7", Map.of("d1", 1))), Map.of()));
    assertEquals("query '7' is judged but not in the queries", e.getMessage());
  }
}
