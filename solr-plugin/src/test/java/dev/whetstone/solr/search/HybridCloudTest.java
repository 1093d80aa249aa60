package dev.whetstone.solr.search;

import dev.whetstone.model.TestModels;
import dev.whetstone.solr.BeirCloudTestCase;
import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.InternalParamsSigner;
import dev.whetstone.solr.ParsersTestCase;
import dev.whetstone.solr.model.EmbeddingModel;
import dev.whetstone.solr.model.ModelRegistryComponent;
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

  /**
   * A plain request costs the shard requests of a plain BM25 query: term statistics (the
   * configset's ExactStatsCache) and top ids, one of each per shard; stored fields add one per
   * shard that holds a returned document. The candidates ride on the top-ids request. (Before,
   * lexical candidates, dense candidates and the fused query each took statistics and top ids.)
   */
  @Test
  public void plainHybridTakesTheShardRequestsOfABm25Query() throws Exception {
    String hybrid = "{!hybrid f=vector model=minilm lexicalQf='title text'}training for a race";
    String bm25 = "{!edismax qf='title text'}training for a race";
    assertEquals(4, shardRequests(new SolrQuery(bm25).setFields("id", "score")));
    assertEquals(4, shardRequests(new SolrQuery(hybrid).setFields("id", "score")));
    // a client's own candidates request does not reach the shards: the answer stays whole
    assertEquals(idsAndScores(SHARDED, new SolrQuery(hybrid).setRows(20)), idsAndScores(SHARDED,
        new SolrQuery(hybrid).setRows(20).setParam(InternalParams.CANDIDATES, "client-sent")));
    // 20 rows reach documents of both shards
    assertEquals(6, shardRequests(new SolrQuery(hybrid).setFields("id", "title").setRows(20)));
    // fields come back for the fused documents, in fused order
    List<String> ranked = ids(idsAndScores(SHARDED, new SolrQuery(hybrid).setRows(20)));
    List<String> withTitles = new ArrayList<>();
    for (SolrDocument doc : cluster.getSolrClient().query(SHARDED,
        new SolrQuery(hybrid).setFields("id", "title").setRows(20)).getResults()) {
      assertNotNull(doc.toString(), doc.getFieldValue("title"));
      withTitles.add(doc.getFieldValue("id").toString());
    }
    assertEquals(ranked, withTitles);
  }

  /**
   * Facets, another sort and debug need the shards to run the fused query: the candidates come in
   * a request of their own, and the shards score the fused documents. Ranking, counts and facets
   * equal one shard's.
   */
  @Test
  public void hybridWithFacetsSortAndDebugRanksLikeOneShard() throws Exception {
    String q = "{!hybrid f=vector model=minilm lexicalQf='title text' lexicalDocs=5 topK=14}"
        + "fever medicine";
    SolrQuery faceted = new SolrQuery(q).setRows(100).setFacet(true).addFacetQuery("text:fever")
        .addFacetQuery("title:bread");
    List<String> single = idsAndScores(SINGLE, faceted.getCopy());
    assertEquals(scores(single), scores(idsAndScores(SHARDED, faceted.getCopy())));
    assertEquals(cluster.getSolrClient().query(SINGLE, faceted).getFacetQuery(),
        cluster.getSolrClient().query(SHARDED, faceted).getFacetQuery());
    assertEquals(new java.util.TreeSet<>(single), new java.util.TreeSet<>(idsAndScores(SHARDED,
        new SolrQuery(q).setRows(100).setParam("debug", "true"))));
    SolrQuery byId = new SolrQuery(q).setRows(100).setSort("id", SolrQuery.ORDER.asc);
    assertEquals(idsAndScores(SINGLE, byId.getCopy()), idsAndScores(SHARDED, byId.getCopy()));
    // 2 statistics, 2 candidates, 2 top ids (facets ride on them)
    assertEquals(6, shardRequests(faceted.getCopy().setFields("id", "score")));
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
    for (String[] internal : List.of(new String[] {InternalParams.FUSED, "99.0:4"},
        new String[] {InternalParams.FUSED_FOR, "x"},
        new String[] {InternalParams.QUERY_VECTOR, "a:b:AAAA"})) {
      for (String q : List.of(hybrid, "{!embed f=vector model=minilm}anything", "*:*")) {
        SolrQuery query = new SolrQuery(q);
        query.set(internal[0], internal[1]);
        assertRefused(query, internal[0]);
      }
    }
    // the next request works
    assertFalse(idsAndScores(SHARDED, new SolrQuery(hybrid)).isEmpty());
  }

  /**
   * isShard=true does not make a forged vector or score count: only the coordinator's signature
   * with the key the nodes share through ZooKeeper does.
   */
  @Test
  public void internalParamsNeedTheClusterSignatureEvenWithIsShard() throws Exception {
    String text = "a book about baking";
    String embed = "{!embed f=vector model=minilm topK=10}" + text;
    String hybrid = "{!hybrid f=vector model=minilm lexicalQf='title text'}" + text;
    List<String> embedBefore = ids(idsAndScores(SHARDED, new SolrQuery(embed)));
    List<String> hybridBefore = ids(idsAndScores(SHARDED, new SolrQuery(hybrid)));
    String target = embedBefore.get(embedBefore.size() - 1); // a document ranked last
    String forged = InternalParams.encodeVector(fingerprint() + ":" + EmbeddingModel.textHash(text),
        vectorOf(target));

    SolrQuery forgedVector = new SolrQuery(embed).setParam("isShard", "true")
        .setParam(InternalParams.QUERY_VECTOR, forged);
    assertRefused(forgedVector, InternalParams.QUERY_VECTOR);
    assertRefused(forgedVector.getCopy().setParam(InternalParams.SIGNATURE, "AAAA"),
        InternalParams.QUERY_VECTOR);
    // malformed: a 400 naming it, not the 500 of a base64 decoder's exception
    assertRefused(new SolrQuery(embed).setParam("isShard", "true")
        .setParam(InternalParams.QUERY_VECTOR, "x:y:!!!"), InternalParams.QUERY_VECTOR);
    assertRefused(new SolrQuery(hybrid).setParam("isShard", "true")
        .setParam(InternalParams.FUSED, "1.0:" + target)
        .setParam(InternalParams.FUSED_FOR, "x"), InternalParams.FUSED);

    // what the forgery would have done with the cluster's key: the target ranked first
    SolrQuery signed = forgedVector.getCopy().setParam(InternalParams.SIGNATURE,
        clusterSigner().sign(forgedVector));
    assertEquals(target, ids(idsAndScores(SHARDED, signed)).get(0));
    // signed but malformed is still a 400
    SolrQuery malformed = new SolrQuery(embed).setParam("isShard", "true").setParam(
        InternalParams.QUERY_VECTOR, fingerprint() + ":" + EmbeddingModel.textHash(text) + ":!!!");
    malformed.setParam(InternalParams.SIGNATURE, clusterSigner().sign(malformed));
    SolrException e = expectThrows(SolrException.class,
        () -> cluster.getSolrClient().query(SHARDED, malformed));
    assertEquals(e.getMessage(), 400, e.code());
    assertTrue(e.getMessage(), e.getMessage().contains("parameter '" + InternalParams.QUERY_VECTOR
        + "': expected"));

    assertEquals(embedBefore, ids(idsAndScores(SHARDED, new SolrQuery(embed))));
    assertEquals(hybridBefore, ids(idsAndScores(SHARDED, new SolrQuery(hybrid))));
  }

  /** Every node signs with one key, read from ZooKeeper. */
  private static InternalParamsSigner clusterSigner() throws Exception {
    byte[] key = cluster.getZkClient().getData(InternalParams.KEY_ZNODE, null, null, true);
    assertEquals(32, key.length);
    return new InternalParamsSigner(key);
  }

  private static void assertRefused(SolrQuery query, String param) {
    SolrException e = expectThrows(SolrException.class,
        () -> cluster.getSolrClient().query(SHARDED, query));
    assertEquals(query + ": " + e.getMessage(), 400, e.code());
    assertTrue(query + ": " + e.getMessage(), e.getMessage().contains("parameter '" + param
        + "' is internal to Whetstone"));
  }

  private static String fingerprint() {
    SolrCore core = cluster.getJettySolrRunner(0).getCoreContainer().getCores().get(0);
    return ModelRegistryComponent.model(core, "minilm").queryManifest().fingerprint();
  }

  private static float[] vectorOf(String id) throws Exception {
    List<?> values = (List<?>) cluster.getSolrClient().query(SHARDED,
        new SolrQuery("id:" + id).setFields("vector")).getResults().get(0).getFieldValue("vector");
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = ((Number) values.get(i)).floatValue();
    }
    return vector;
  }

  private static List<String> ids(List<String> idsAndScores) {
    return idsAndScores.stream().map(hit -> hit.substring(0, hit.indexOf(' '))).toList();
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

  /** Shard requests the sharded collection's cores served for one request. */
  private static long shardRequests(SolrQuery query) throws Exception {
    long before = shardRequestCount();
    cluster.getSolrClient().query(SHARDED, query);
    return shardRequestCount() - before;
  }

  private static long shardRequestCount() {
    long sum = 0;
    for (JettySolrRunner jetty : cluster.getJettySolrRunners()) {
      for (SolrCore core : jetty.getCoreContainer().getCores()) {
        if (!core.getName().startsWith(SHARDED)) {
          continue;
        }
        com.codahale.metrics.Counter counter = core.getCoreMetricManager().getRegistry()
            .getCounters().get("QUERY./select[shard].requests");
        assertNotNull("no shard request counter in " + core.getCoreMetricManager().getRegistry()
            .getCounters().keySet(), counter);
        sum += counter.getCount();
      }
    }
    return sum;
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
