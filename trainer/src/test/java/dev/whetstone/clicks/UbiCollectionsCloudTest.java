package dev.whetstone.clicks;

import dev.whetstone.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.apache.solr.common.SolrInputDocument;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code --clicks http://.../solr}: the UBI queries and events collections of the conf-examples/ubi
 * configset, in a 1-node SolrCloud, read through {@link ClickSource#parse} and joined as the files
 * are, with more events than one cursorMark page holds.
 */
@SolrTestCaseJ4.SuppressSSL(bugUrl = "the reader's client is built from a plain base URL")
public class UbiCollectionsCloudTest extends SolrCloudTestCase {
  private static final String CONFIG = "ubi";
  /** Non-click events for q2, so that the events span two pages of 1000. */
  private static final int MORE_EVENTS = 1200;

  private static String solrUrl;

  @BeforeClass
  public static void startCluster() throws Exception {
    configureCluster(1).addConfig(CONFIG, Paths.get("../conf-examples/ubi/conf").toAbsolutePath())
        .configure();
    solrUrl = cluster.getJettySolrRunner(0).getBaseUrl().toString();
    for (String name : List.of("ubi_queries", "ubi_events", "bad_queries", "bad_events")) {
      CollectionAdminRequest.createCollection(name, CONFIG, 1, 1).process(cluster.getSolrClient());
      cluster.waitForActiveCollection(name, 1, 1);
    }
    index("ubi_queries",
        with(query("q1", "red shoes", 0, "d1", "d2", "d3"), "client_id", "c1"),
        query("q2", "boots", null, "d4", "d5"),
        query("q3", "red shoes", 10, "d7", "d8"));
    List<SolrInputDocument> events = new ArrayList<>(List.of(
        with(event("e1", "q1", "click", "d2", 2), "dwell_time", 12.5, "session_id", "s1"),
        with(event("e2", "q1", "impression", null, null), "session_id", "s1"),
        event("e3", "q2", "click", "d5", 2),
        event("e4", "q3", "click", "d7", 11),
        event("e5", "q404", "click", "d1", 1),
        event("e6", "q1", "click", "d9", 4)));
    for (int i = 0; i < MORE_EVENTS; i++) {
      events.add(event(String.format("more-%04d", i), "q2", "impression", null, null));
    }
    index("ubi_events", events.toArray(SolrInputDocument[]::new));
    index("bad_queries", query("q1", "x", 0, "d1"));
  }

  @Test
  public void joinsTheCollectionsAsTheFilesAre() throws Exception {
    ClickSource source = ClickSource.parse(solrUrl + "/");
    assertEquals(new ClickSource.UbiCollections(solrUrl, "ubi_queries", "ubi_events",
        Set.of("click")), source);
    ClickLog log = source.read();

    assertEquals(List.of(
        new Impression("q1", "red shoes", List.of("d1", "d2", "d3"),
            List.of(new Impression.Click("d2", 2, 12.5))),
        new Impression("q2", "boots", List.of("d4", "d5"),
            List.of(new Impression.Click("d5", 2, Double.NaN)))),
        log.impressions());
    ClickLogStats stats = log.stats();
    assertEquals(Map.of("ubi_queries", 3L, "ubi_events", 6L + MORE_EVENTS),
        stats.linesReadPerFile());
    assertEquals(Map.of(
        UbiClickLogReader.DEEPER_PAGE, 1L,
        UbiClickLogReader.EVENT_FOR_DEEPER_PAGE, 1L,
        UbiClickLogReader.UNKNOWN_QUERY, 1L,
        UbiClickLogReader.NOT_SHOWN, 1L), stats.dropped());
    assertEquals(2, stats.clicks());
    assertEquals(1 + MORE_EVENTS, stats.nonClickEvents());
    assertEquals(stats.linesRead(), stats.linesUsed() + stats.linesDropped());
  }

  @Test
  public void badDocumentsNameCollectionDocumentAndField() throws Exception {
    ClickSource source = ClickSource.parse(solrUrl, "bad_queries", "bad_events");
    index("bad_events", event("e1", "q1", "click", "d1", 0));
    MalformedDataException zero = assertThrows(MalformedDataException.class, source::read);
    assertEquals("collection bad_events, document e1: field 'position' must be >= 1 (positions "
        + "are 1-based), got 0", zero.getMessage());

    index("bad_events", event("e1", "q1", "click", null, null));
    MalformedDataException missing = assertThrows(MalformedDataException.class, source::read);
    assertEquals("collection bad_events, document e1: missing field 'object_id'",
        missing.getMessage());
  }

  @Test
  public void aMissingCollectionIsNamed() throws Exception {
    ClickSource source = ClickSource.parse(solrUrl, "ubi_queries", "no_such_events");
    IOException e = assertThrows(IOException.class, source::read);
    assertTrue(e.getMessage(), e.getMessage().startsWith(solrUrl
        + ": cannot read collection no_such_events: "));
  }

  private static SolrInputDocument query(String id, String text, Integer start, String... shown) {
    SolrInputDocument doc = new SolrInputDocument("id", id, "query_id", id, "user_query", text,
        "application", "shop", "object_id_field", "id", "timestamp", "2026-12-03T06:40:00Z");
    doc.addField("query_response_hit_ids", List.of(shown));
    if (start != null) {
      doc.addField("start", start);
    }
    return doc;
  }

  /** An event sent the way docs/clicks.md sends one; null fields are left out. */
  private static SolrInputDocument event(String id, String queryId, String action, String objectId,
      Integer position) {
    SolrInputDocument doc = new SolrInputDocument("id", id, "query_id", queryId,
        "action_name", action, "timestamp", "2026-12-03T06:40:07Z");
    if (objectId != null) {
      doc.addField("object_id", objectId);
    }
    if (position != null) {
      doc.addField("position", position);
    }
    return doc;
  }

  private static SolrInputDocument with(SolrInputDocument doc, Object... namesAndValues) {
    for (int i = 0; i < namesAndValues.length; i += 2) {
      doc.addField((String) namesAndValues[i], namesAndValues[i + 1]);
    }
    return doc;
  }

  private static void index(String collection, SolrInputDocument... docs) throws Exception {
    cluster.getSolrClient().add(collection, List.of(docs));
    cluster.getSolrClient().commit(collection);
  }
}
