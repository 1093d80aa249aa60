package dev.whetstone.solr;

import dev.whetstone.model.TestModels;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.core.SolrCore;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The conf-examples/beir configset on a real 2-node SolrCloud: a 2-shard collection ranks {@code
 * {!hybrid}} and {@code {!embed}} queries exactly like a 1-shard collection holding the same
 * vectors, and each request embeds its text once, however many shards it reaches.
 */
public class HybridCloudTest extends BeirCloudTestCase {
  private static final String SHARDED = "two_shards";
  private static final String SINGLE = "one_shard";

  @BeforeClass
  public static void startCluster() throws Exception {
    TestModels.get("all-minilm-l6-v2");
    startBeirCluster(2, TestModels.root(), Map.of("metricsEnabled", "true"));
    createCollection(SHARDED, 2, 1);
    createCollection(SINGLE, 1, 1);

    List<SolrInputDocument> docs = new ArrayList<>();
    for (String[] doc : ParsersTestCase.DOCS) {
      docs.add(new SolrInputDocument("id", doc[0], "title", doc[2], "text", doc[3]));
    }
    cluster.getSolrClient().add(SHARDED, docs);
    cluster.getSolrClient().commit(SHARDED);
    copyWithVectors(SHARDED, SINGLE, 100);
  }

  @Test
  public void shardedHybridRanksLikeOneShard() throws Exception {
    for (String fusion : List.of("fusion=rrf", "fusion=linear normalization=minmax",
        "fusion=linear normalization=zscore")) {
      for (String text : List.of("fever medicine", "interest rates and inflation", "bread")) {
        // the dense window covers all 14 documents: HNSW with k=5 is approximate, and differently
        // so on one graph and on two
        String q = "{!hybrid f=vector model=minilm lexicalQf='title text' lexicalDocs=5 "
            + "topK=14 " + fusion + "}" + text;
        // rows cover every fused document, so equal scores in another order (ties) compare equal
        List<String> sharded = idsAndScores(SHARDED, new SolrQuery(q).setRows(100));
        List<String> single = idsAndScores(SINGLE, new SolrQuery(q).setRows(100));
        assertTrue(q, sharded.size() >= 5);
        assertEquals(q, scores(single), scores(sharded));
        assertEquals(q, new java.util.TreeSet<>(single), new java.util.TreeSet<>(sharded));
      }
    }
  }

  @Test
  public void shardedHybridPagesAndFilters() throws Exception {
    String q = "{!hybrid f=vector model=minilm lexicalQf='title text'}training for a race";
    List<String> all = idsAndScores(SHARDED, new SolrQuery(q).setRows(20));
    List<String> pages = new ArrayList<>(idsAndScores(SHARDED, new SolrQuery(q).setRows(3)));
    pages.addAll(idsAndScores(SHARDED, new SolrQuery(q).setStart(3).setRows(3)));
    assertEquals(all.subList(0, 6), pages);
    List<String> filtered = idsAndScores(SHARDED, new SolrQuery(q).setRows(20)
        .addFilterQuery("-id:6"));
    assertTrue(all.get(0), all.get(0).startsWith("6 "));
    assertTrue(filtered.stream().noneMatch(hit -> hit.startsWith("6 ")));
  }

  @Test
  public void anotherHybridQueryInTheRequestKeepsItsOwnMeaning() throws Exception {
    String q = "{!hybrid f=vector model=minilm lexicalQf='title text'}training for a race";
    assertTrue(idsAndScores(SHARDED, new SolrQuery(q).setRows(20)).size() > 4);
    // as a filter, a 1 + 1 candidate hybrid query matches at most 2 documents per shard; it used
    // to be replaced by the main query's fused documents
    List<String> filtered = idsAndScores(SHARDED, new SolrQuery(q).setRows(20).addFilterQuery(
        "{!hybrid f=vector model=minilm lexicalQf='title text' lexicalDocs=1 topK=1}bread"));
    assertTrue(filtered.toString(), filtered.size() <= 4);
  }

  @Test
  public void clientsCannotSendInternalParams() throws Exception {
    String hybrid = "{!hybrid f=vector model=minilm lexicalQf='title text'}anything";
    for (String[] internal : List.of(new String[] {WhetstoneParams.FUSED, "99.0:4"},
        new String[] {WhetstoneParams.FUSED_FOR, "x"},
        new String[] {WhetstoneParams.QUERY_VECTOR, "a:b:AAAA"})) {
      for (String q : List.of(hybrid, "{!embed f=vector model=minilm}anything", "*:*")) {
        SolrQuery query = new SolrQuery(q);
        query.set(internal[0], internal[1]);
        SolrException e = expectThrows(SolrException.class,
            () -> cluster.getSolrClient().query(SHARDED, query));
        assertEquals(q + ": " + e.getMessage(), 400, e.code());
        assertTrue(q + ": " + e.getMessage(), e.getMessage().contains("parameter '" + internal[0]
            + "' is internal to Whetstone"));
      }
    }
    // the next request works
    assertFalse(idsAndScores(SHARDED, new SolrQuery(hybrid)).isEmpty());
  }

  @Test
  public void eachRequestEmbedsItsTextOnce() throws Exception {
    for (String parser : List.of("{!embed f=vector model=minilm topK=5}",
        "{!hybrid f=vector model=minilm lexicalQf='title text'}")) {
      String text = "a text nobody asked before " + parser.length();
      long before = counterSum("queriesEmbedded");
      long receivedBefore = counterSum("queryVectorsReceived");
      idsAndScores(SHARDED, new SolrQuery(parser + text));
      assertEquals(parser, 1, counterSum("queriesEmbedded") - before);
      if (parser.startsWith("{!embed")) { // each shard uses the coordinator's vector
        assertTrue(counterSum("queryVectorsReceived") - receivedBefore >= 2);
      }
    }
  }

  private static List<String> idsAndScores(String collection, SolrQuery query) throws Exception {
    query.setFields("id", "score");
    List<String> hits = new ArrayList<>();
    for (SolrDocument doc : cluster.getSolrClient().query(collection, query).getResults()) {
      hits.add(doc.getFieldValue("id") + " " + doc.getFieldValue("score"));
    }
    return hits;
  }

  private static List<String> scores(List<String> hits) {
    return hits.stream().map(hit -> hit.substring(hit.indexOf(' ') + 1)).toList();
  }

  /** A Whetstone counter summed over every core of the cluster. */
  private static long counterSum(String name) {
    long sum = 0;
    boolean found = false;
    for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
      for (SolrCore core : jetty.getCoreContainer().getCores()) {
        for (Map.Entry<String, com.codahale.metrics.Counter> counter :
            core.getCoreMetricManager().getRegistry().getCounters().entrySet()) {
          if (counter.getKey().equals("OTHER.embeddings.minilm." + name)) {
            found = true;
            sum += counter.getValue().getCount();
          }
        }
      }
    }
    assertTrue("no core has the counter " + name, found);
    return sum;
  }
}
