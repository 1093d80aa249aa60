package dev.whetstone.solr.ubi;

import dev.whetstone.solr.ParsersTestCase;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.Utils;
import org.apache.solr.util.LogListener;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link UbiComponent} on a standalone core, which logs to the file logger: a client's {@code
 * query_id} is checked, and a request that reuses another's adds a line and replaces nothing.
 */
public class UbiComponentTest extends SolrTestCaseJ4 {
  @BeforeClass
  public static void initUbiCore() throws Exception {
    ParsersTestCase.initCoreWithDocs("solrconfig-ubi.xml", "schema.xml");
  }

  @Test
  public void aReusedQueryIdAddsARecordAndReplacesNone() throws Exception {
    try (LogListener lines = LogListener.info(UbiLog.LogFile.LOGGER).substring("shared-1")) {
      assertJQ(req("q", "bread", "ubi", "true", "query_id", "shared-1", "rows", "2"),
          "/ubi/query_id=='shared-1'");
      assertJQ(req("q", "bread", "ubi", "true", "query_id", "shared-1", "rows", "2", "start", "2"),
          "/ubi/query_id=='shared-1'");
      Map<?, ?> first = record(lines.pollMessage(30, TimeUnit.SECONDS));
      Map<?, ?> second = record(lines.pollMessage(30, TimeUnit.SECONDS));
      assertEquals("shared-1", first.get("query_id"));
      assertEquals("shared-1", second.get("query_id"));
      assertEquals(Map.of("start", 0L), first.get("query_attributes"));
      assertEquals(Map.of("start", 2L), second.get("query_attributes"));
    }
    // in the queries collection each record is a document of its own, whatever its query id
    UbiQuery one = new UbiQuery("shared-1", null, null, "bread", "id", List.of("7"), 0, java.time.Instant.EPOCH);
    UbiQuery two = new UbiQuery("shared-1", null, null, "bread", "id", List.of("8"), 0, java.time.Instant.EPOCH);
    assertNotEquals(one.toDocument().getFieldValue("id"), two.toDocument().getFieldValue("id"));
    assertEquals("shared-1", two.toDocument().getFieldValue("query_id"));
  }

  @Test
  public void aQueryIdTooLongOrNotPlainIsABadRequest() throws Exception {
    for (String bad : List.of("x".repeat(UbiComponent.MAX_QUERY_ID_LENGTH + 72), "two words",
        "quote\"d", "new\nline", "é")) {
      assertQEx(bad, "query_id", req("q", "bread", "ubi", "true", "query_id", bad),
          ErrorCode.BAD_REQUEST);
    }
    String longest = "a.b_c:d-" + "9".repeat(UbiComponent.MAX_QUERY_ID_LENGTH - 8);
    assertJQ(req("q", "bread", "ubi", "true", "query_id", longest), "/ubi/query_id=='" + longest + "'");
    // without ubi=true the parameter is not the component's
    assertJQ(req("q", "bread", "query_id", "two words"), "/response/numFound==1");
  }

  private static Map<?, ?> record(String line) {
    assertNotNull("no UBI line logged within 30 s", line);
    return (Map<?, ?>) Utils.fromJSONString(line);
  }
}
