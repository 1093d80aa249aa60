package dev.whetstone.solr.search;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.whetstone.calibration.ScoreMap;
import dev.whetstone.solr.BeirCloudTestCase;
import dev.whetstone.solr.CalibratedModels;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPInputStream;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The conf-examples/beir configset with a calibrated model on a 2-node SolrCloud: each shard
 * applies the calibration to its own hits with the query vector the coordinator sent, and a
 * 2-shard collection returns the same {@code minRelevance}-filtered documents as a 1-shard one
 * holding the same vectors (a few dozen SciFact abstracts).
 */
public class CalibratedCloudTest extends BeirCloudTestCase {
  private static final String SHARDED = "calibrated_two_shards";
  private static final String SINGLE = "calibrated_one_shard";
  private static final String MODEL_DIR = "minilm-int8-calibrated";
  private static final int DOCS = 40;

  @BeforeClass
  public static void startCluster() throws Exception {
    Path modelsDir = createTempDir("models").toRealPath();
    Path model = CalibratedModels.copyOfQuantizedMiniLm(modelsDir, MODEL_DIR);
    CalibratedModels.write(model, CalibratedModels.randomFor(model, ScoreMap.SQRT, 5, 0.5));
    startBeirCluster(2, modelsDir, Map.of("whetstone.model.path", MODEL_DIR));
    createCollection(SHARDED, 2, 1);
    createCollection(SINGLE, 1, 1);

    cluster.getSolrClient().add(SHARDED, scifactSlice());
    cluster.getSolrClient().commit(SHARDED);
    assertEquals(DOCS, copyWithVectors(SHARDED, SINGLE, DOCS));
  }

  @Test
  public void twoShardsKeepTheSameDocumentsAsOne() throws Exception {
    int partial = 0;
    for (String text : scifactQueries(4)) {
      // topK covers every document: HNSW is approximate, and differently so on one graph and two
      String embed = "{!embed f=vector model=minilm topK=" + DOCS + " ";
      List<Hit> relevance = hits(SINGLE, embed + "score=relevance}" + text);
      assertEquals(text, DOCS, relevance.size());
      // thresholds between the 3rd and 4th, and the 10th and 11th, best relevances
      List<String> thresholds = new ArrayList<>(List.of("default"));
      for (int i : new int[] {3, 10}) {
        thresholds.add(Double.toString(
            (relevance.get(i - 1).score() + relevance.get(i).score()) / 2.0));
      }
      for (String t : thresholds) {
        String q = embed + "minRelevance=" + t + "}" + text;
        Set<String> single = ids(hits(SINGLE, q));
        Set<String> sharded = ids(hits(SHARDED, q));
        assertEquals(text + " at " + t, single, sharded);
        if (!t.equals("default")) {
          double cut = Double.parseDouble(t);
          Set<String> expected = new HashSet<>();
          relevance.stream().filter(hit -> hit.score() >= cut).forEach(hit -> expected.add(hit.id()));
          assertEquals(text + " at " + t, expected, sharded);
          partial += sharded.isEmpty() || sharded.size() == DOCS ? 0 : 1;
        }
      }
      // relevance scores are the same on every shard, up to float rounding: the query vector and
      // the dot products may differ in the last bit between the nodes that compute them
      List<Hit> sharded = hits(SHARDED, embed + "score=relevance}" + text);
      assertEquals(text, ids(relevance), ids(sharded));
      for (int i = 0; i < sharded.size(); i++) {
        Hit hit = sharded.get(i);
        Hit same = relevance.stream().filter(h -> h.id().equals(hit.id())).findFirst().orElseThrow();
        assertEquals(text + " " + hit.id(), same.score(), hit.score(), 1e-5f);
      }
    }
    assertTrue("thresholds that split the hits: " + partial, partial >= 4);
  }

  private record Hit(String id, float score) {}

  private static List<Hit> hits(String collection, String q) throws Exception {
    SolrQuery query = new SolrQuery(q).setRows(DOCS).setFields("id", "score");
    List<Hit> hits = new ArrayList<>();
    for (SolrDocument doc : cluster.getSolrClient().query(collection, query).getResults()) {
      hits.add(new Hit((String) doc.getFieldValue("id"),
          ((Number) doc.getFieldValue("score")).floatValue()));
    }
    return hits;
  }

  private static Set<String> ids(List<Hit> hits) {
    Set<String> ids = new HashSet<>();
    hits.forEach(hit -> ids.add(hit.id()));
    return ids;
  }

  private static Path scifact() {
    return Paths.get(System.getProperty("whetstone.data"), "scifact");
  }

  private static List<SolrInputDocument> scifactSlice() throws Exception {
    List<SolrInputDocument> docs = new ArrayList<>();
    try (BufferedReader lines = new BufferedReader(new InputStreamReader(
        new GZIPInputStream(Files.newInputStream(scifact().resolve("corpus.jsonl.gz"))),
        StandardCharsets.UTF_8))) {
      for (String line = lines.readLine(); line != null && docs.size() < DOCS; line = lines.readLine()) {
        JsonObject json = JsonParser.parseString(line).getAsJsonObject();
        docs.add(new SolrInputDocument("id", json.get("_id").getAsString(),
            "title", json.get("title").getAsString(), "text", json.get("text").getAsString()));
      }
    }
    return docs;
  }

  private static List<String> scifactQueries(int count) throws Exception {
    List<String> queries = new ArrayList<>();
    try (BufferedReader lines = Files.newBufferedReader(scifact().resolve("queries.jsonl"),
        StandardCharsets.UTF_8)) {
      for (String line = lines.readLine(); line != null && queries.size() < count;
          line = lines.readLine()) {
        queries.add(JsonParser.parseString(line).getAsJsonObject().get("text").getAsString());
      }
    }
    return queries;
  }
}
