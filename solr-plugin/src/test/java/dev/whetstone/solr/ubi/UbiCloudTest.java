package dev.whetstone.solr.ubi;

import dev.whetstone.model.TestModels;
import dev.whetstone.solr.BeirCloudTestCase;
import dev.whetstone.solr.ParsersTestCase;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrDocumentList;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.NamedList;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@link UbiComponent} on a 2-node cluster: a 2-shard collection logs, once per {@code ubi=true}
 * request, exactly the ids Solr returned, in order, with the query id it returned, into a
 * queries collection of the conf-examples/ubi configset.
 */
public class UbiCloudTest extends BeirCloudTestCase {
  private static final String SHARDED = "two_shards";
  private static final String QUERIES = "ubi_queries";
  /** One shard: Solr answers from the core alone, so the component logs from its process(). */
  private static final String SINGLE = "one_shard";

  @BeforeClass
  public static void startCluster() throws Exception {
    TestModels.get("all-minilm-l6-v2");
    startBeirCluster(2, TestModels.root(), Map.of("whetstone.ubi.collection", QUERIES));
    cluster.uploadConfigSet(Paths.get("../conf-examples/ubi/conf").toAbsolutePath(), "ubi");
    CollectionAdminRequest.createCollection(QUERIES, "ubi", 1, 1).process(cluster.getSolrClient());
    cluster.waitForActiveCollection(QUERIES, 1, 1);
    createCollection(SHARDED, 2, 1);
    List<SolrInputDocument> docs = new ArrayList<>();
    for (String[] doc : ParsersTestCase.DOCS) {
      docs.add(new SolrInputDocument("id", doc[0], "title", doc[2], "text", doc[3]));
    }
    cluster.getSolrClient().add(SHARDED, docs);
    cluster.getSolrClient().commit(SHARDED);
    createCollection(SINGLE, 1, 1);
    cluster.getSolrClient().add(SINGLE, docs);
    cluster.getSolrClient().commit(SINGLE);
  }

  @Test
  public void logsWhatSolrReturnedOncePerRequest() throws Exception {
    String text = "training for a race";
    List<SolrQuery> requests = List.of(
        new SolrQuery("{!edismax qf='title text' v=$qq}").setParam("qq", text).setRows(5),
        new SolrQuery("{!hybrid f=vector model=minilm lexicalQf='title text' v=$qq}")
            .setParam("qq", text).setRows(4).setStart(2),
        new SolrQuery("{!embed f=vector model=minilm topK=10 v=$qq}").setParam("qq", text)
            .setRows(3).setFields("id", "title"));
    List<String> queryIds = new ArrayList<>();
    List<List<String>> shown = new ArrayList<>();
    for (SolrQuery request : requests) {
      request.set("ubi", true).set("client_id", "user-7");
      if (request != requests.get(2)) { // the third's user_query is its q's v=$qq
        request.set("user_query", text);
      }
      QueryResponse response = cluster.getSolrClient().query(SHARDED, request);
      queryIds.add((String) ((NamedList<?>) response.getResponse().get("ubi")).get("query_id"));
      shown.add(response.getResults().stream().map(doc -> doc.getFieldValue("id").toString()).toList());
    }
    // a client's own query id is kept; a request without ubi=true logs nothing
    QueryResponse own = cluster.getSolrClient().query(SHARDED, new SolrQuery("bread")
        .setParam("ubi", "true").setParam("query_id", "client-chosen-1"));
    assertEquals("client-chosen-1", ((NamedList<?>) own.getResponse().get("ubi")).get("query_id"));
    // another search that sends the same query id is logged too, and replaces nothing
    QueryResponse reused = cluster.getSolrClient().query(SHARDED, new SolrQuery("soup")
        .setParam("ubi", "true").setParam("query_id", "client-chosen-1"));
    assertEquals("client-chosen-1", ((NamedList<?>) reused.getResponse().get("ubi")).get("query_id"));
    // a query id that is not short and plain is refused, over HTTP too
    SolrException tooLong = expectThrows(SolrException.class, () -> cluster.getSolrClient().query(
        SHARDED, new SolrQuery("bread").setParam("ubi", "true").setParam("query_id", "q".repeat(200))));
    assertEquals(400, tooLong.code());
    assertTrue(tooLong.getMessage(), tooLong.getMessage().contains("query_id"));
    QueryResponse unlogged = cluster.getSolrClient().query(SHARDED, new SolrQuery("bread"));
    assertNull(unlogged.getResponse().get("ubi"));
    QueryResponse single = cluster.getSolrClient().query(SINGLE, new SolrQuery("*:*")
        .setParam("ubi", "true").setParam("query_id", "one-shard-1").setStart(1).setRows(4));

    assertEquals(4, single.getResults().size());
    SolrDocumentList logged = waitForQueries(6);
    assertEquals(6, logged.getNumFound());
    SolrDocument fromCore = byId(logged, "one-shard-1");
    assertEquals(single.getResults().stream().map(doc -> doc.getFieldValue("id").toString()).toList(),
        fromCore.getFieldValue("query_response_hit_ids"));
    assertEquals(1, fromCore.getFieldValue("start"));
    for (int i = 0; i < requests.size(); i++) {
      SolrDocument doc = byId(logged, queryIds.get(i));
      assertFalse(shown.get(i).isEmpty());
      assertEquals(requests.get(i).toString(), shown.get(i), doc.getFieldValue("query_response_hit_ids"));
      assertEquals(requests.get(i).getStart() == null ? 0 : requests.get(i).getStart(),
          doc.getFieldValue("start"));
      assertEquals(text, doc.getFieldValue("user_query"));
      assertEquals("user-7", doc.getFieldValue("client_id"));
      assertEquals("id", doc.getFieldValue("object_id_field"));
    }
    List<SolrDocument> chosen = logged.stream()
        .filter(doc -> "client-chosen-1".equals(doc.getFieldValue("query_id"))).toList();
    assertEquals(2, chosen.size());
    assertNotEquals(chosen.get(0).getFieldValue("id"), chosen.get(1).getFieldValue("id"));
    for (QueryResponse response : List.of(own, reused)) {
      List<String> ids = response.getResults().stream().map(doc -> doc.getFieldValue("id").toString()).toList();
      assertEquals(ids + " in " + chosen, 1, chosen.stream()
          .filter(doc -> ids.equals(doc.getFieldValue("query_response_hit_ids"))).count());
    }
  }

  private static SolrDocument byId(SolrDocumentList docs, String id) {
    return docs.stream().filter(doc -> id.equals(doc.getFieldValue("query_id"))).findFirst()
        .orElseThrow(() -> new AssertionError("query " + id + " not logged: " + docs));
  }

  /** The logged queries, once {@code expected} are searchable (commitWithin), or after 60 s. */
  private static SolrDocumentList waitForQueries(int expected) throws Exception {
    long deadline = System.nanoTime() + 60_000_000_000L;
    SolrDocumentList docs;
    do {
      Thread.sleep(250);
      docs = cluster.getSolrClient().query(QUERIES, new SolrQuery("*:*").setRows(100)).getResults();
    } while (docs.getNumFound() < expected && System.nanoTime() < deadline);
    Thread.sleep(1000); // and no more arrive: shards must not log
    return cluster.getSolrClient().query(QUERIES, new SolrQuery("*:*").setRows(100)).getResults();
  }
}
