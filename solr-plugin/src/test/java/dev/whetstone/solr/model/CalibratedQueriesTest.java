package dev.whetstone.solr.model;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.QueryScoreMap;
import dev.whetstone.calibration.ScoreMap;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.solr.CalibratedModels;
import dev.whetstone.solr.ParsersTestCase;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.search.EmbedQParserTest;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * {@code minRelevance}, {@code score=relevance} and {@code normalization=relevance} on a core whose
 * model has a calibration file (a seeded random Cosine Adapter with the model's real
 * fingerprints): results are checked against the adapter applied by hand to the unfiltered hits.
 */
public class CalibratedQueriesTest extends SolrTestCaseJ4 {
  private static final String EMBED = "{!embed f=vector model=minilm ";
  private static final String HYBRID = "{!hybrid f=vector model=minilm lexicalQf='title text' ";
  private static final List<String> QUERIES = List.of("which medicine brings a fever down",
      "interest rates and inflation", "how to bake bread", "planets and space exploration",
      "memory of a running program", "sports and exercise");
  private static final int TOP_K = 8;

  private static Path modelsDir;
  private static CosineAdapter adapter;

  @BeforeClass
  public static void initCalibratedCore() throws Exception {
    modelsDir = createTempDir("models").toRealPath();
    Path model = CalibratedModels.copyOfQuantizedMiniLm(modelsDir, "all-minilm-l6-v2-q");
    CosineAdapter random = CalibratedModels.randomFor(model, ScoreMap.POWER, 11, 0.5);
    // the fitted threshold: the median relevance of the queries' top hits, so it filters some
    adapter = CalibratedModels.write(model, random.withThreshold(medianTopRelevance(model, random)));
    ParsersTestCase.initCoreWithDocs("solrconfig.xml", "schema.xml", modelsDir);
  }

  @AfterClass
  public static void clearModelsDir() {
    System.clearProperty(WhetstoneParams.MODELS_DIR_PROPERTY);
    adapter = null;
    modelsDir = null;
  }

  private static double medianTopRelevance(Path model, CosineAdapter random) throws Exception {
    List<String> texts = new ArrayList<>();
    for (String[] doc : ParsersTestCase.DOCS) {
      texts.add(doc[2] + ". " + doc[3]);
    }
    List<Double> relevances = new ArrayList<>();
    try (Encoder encoder = Encoder.load(ModelDirectory.open(model))) {
      float[][] docs = encoder.encodeDocuments(texts, 8);
      for (String query : QUERIES) {
        float[] q = encoder.encodeQuery(query);
        List<Double> scores = new ArrayList<>();
        for (float[] doc : docs) {
          double dot = 0;
          for (int d = 0; d < q.length; d++) {
            dot += q[d] * doc[d];
          }
          scores.add((1 + dot) / 2); // Lucene's dot_product score
        }
        scores.sort((a, b) -> Double.compare(b, a));
        QueryScoreMap map = random.forQuery(q);
        scores.subList(0, TOP_K).forEach(s -> relevances.add(map.relevance(s)));
      }
    }
    relevances.sort(Double::compare);
    return relevances.get(relevances.size() / 2);
  }

  /** One hit of a response. */
  private record Hit(String id, float score) {}

  private static List<Hit> hits(String... params) throws Exception {
    List<Hit> hits = new ArrayList<>();
    String[] withFl = new String[params.length + 2];
    System.arraycopy(params, 0, withFl, 0, params.length);
    withFl[params.length] = "fl";
    withFl[params.length + 1] = "id,score";
    for (Map<String, Object> doc : ParsersTestCase.docs(ParsersTestCase.select(withFl))) {
      hits.add(new Hit((String) doc.get("id"), ((Number) doc.get("score")).floatValue()));
    }
    return hits;
  }

  private static List<String> ids(List<Hit> hits) {
    return hits.stream().map(Hit::id).toList();
  }

  /** The query's map, from the vector the core's encoder gives its text. */
  private static QueryScoreMap mapOf(String text) {
    EmbeddingModel model = ModelRegistryComponent.model(h.getCore(), "minilm");
    return adapter.forQuery(model.encoder().encodeQuery(text));
  }

  /** The hits whose relevance reaches {@code threshold}, in their order. */
  private static List<String> kept(List<Hit> hits, QueryScoreMap map, double threshold) {
    return hits.stream().filter(hit -> map.relevance(hit.score()) >= threshold).map(Hit::id)
        .toList();
  }

  @Test
  public void minRelevanceKeepsTheTopKHitsWhoseRelevanceReachesIt() throws Exception {
    int partial = 0;
    for (String text : QUERIES) {
      List<Hit> all = hits("q", EMBED + "topK=" + TOP_K + "}" + text);
      assertEquals(text, TOP_K, all.size());
      QueryScoreMap map = mapOf(text);
      List<Double> thresholds = new ArrayList<>(List.of(0.05, 0.3, 0.6, 0.9, 0.99));
      for (int i = 1; i < all.size(); i++) { // between two hits' relevances: cuts right there
        thresholds.add((map.relevance(all.get(i - 1).score()) + map.relevance(all.get(i).score())) / 2);
      }
      for (double t : thresholds) {
        List<String> expected = kept(all, map, t);
        String q = EMBED + "topK=" + TOP_K + " minRelevance=" + t + "}" + text;
        assertEquals(text + " at " + t, expected, ids(hits("q", q)));
        if (!expected.isEmpty() && expected.size() < TOP_K) {
          partial++;
        }
      }
      // never more than topK, whatever the threshold lets through
      assertEquals(ids(all), ids(hits("q", EMBED + "topK=" + TOP_K + " minRelevance=0.000001}" + text)));
    }
    assertTrue("thresholds that keep some hits and drop others: " + partial, partial >= QUERIES.size());
    // a request param, as topK
    String text = QUERIES.get(0);
    double t = adapter.threshold();
    assertEquals(kept(hits("q", EMBED + "topK=5}" + text), mapOf(text), t),
        ids(hits("q", text, "defType", "embed", "f", "vector", "model", "minilm", "topK", "5",
            "minRelevance", Double.toString(t))));
  }

  @Test
  public void defaultIsTheFittedThreshold() throws Exception {
    int filtered = 0;
    for (String text : QUERIES) {
      List<Hit> all = hits("q", EMBED + "topK=" + TOP_K + "}" + text);
      List<String> byDefault = ids(hits("q", EMBED + "topK=" + TOP_K + " minRelevance=default}" + text));
      assertEquals(text, ids(hits("q", EMBED + "topK=" + TOP_K + " minRelevance="
          + adapter.threshold() + "}" + text)), byDefault);
      assertEquals(text, kept(all, mapOf(text), adapter.threshold()), byDefault);
      filtered += all.size() - byDefault.size();
    }
    assertTrue("the fitted threshold drops some hits", filtered > 0);
  }

  @Test
  public void relevanceScoresKeepTheOrder() throws Exception {
    for (String text : QUERIES) {
      List<Hit> similarity = hits("q", EMBED + "topK=" + TOP_K + "}" + text);
      List<Hit> relevance = hits("q", EMBED + "topK=" + TOP_K + " score=relevance}" + text);
      assertEquals(text, ids(similarity), ids(relevance));
      assertEquals(ids(similarity), ids(hits("q", EMBED + "topK=" + TOP_K
          + " score=similarity}" + text)));
      QueryScoreMap map = mapOf(text);
      for (int i = 0; i < similarity.size(); i++) {
        assertEquals(text + " " + similarity.get(i),
            map.relevance(similarity.get(i).score()), relevance.get(i).score(), 1e-5);
        assertTrue(relevance.get(i).score() > 0 && relevance.get(i).score() < 1);
      }
      // both together: the kept hits, scored by relevance
      List<Hit> keptScored = hits("q", EMBED + "topK=" + TOP_K + " score=relevance minRelevance="
          + adapter.threshold() + "}" + text);
      assertEquals(kept(similarity, map, adapter.threshold()), ids(keptScored));
      keptScored.forEach(hit -> assertTrue(hit + "", hit.score() >= adapter.threshold() - 1e-6));
    }
  }

  @Test
  public void filtersApplyAsForPlainEmbed() throws Exception {
    String text = "fever and headache medicine";
    QueryScoreMap map = mapOf(text);
    String[][] variants = {
      {"}", "fq", "-id:1"},
      {"preFilter=category:health}", "fq", "-id:1"},
      {"excludeTags=t}", "fq", "{!tag=t}-category:health"},
    };
    for (String[] v : variants) {
      List<Hit> plain = hits("q", EMBED + "topK=4 " + v[0] + text, v[1], v[2]);
      assertFalse(v[0], plain.isEmpty());
      for (double t : List.of(0.2, adapter.threshold(), 0.8)) {
        String q = EMBED + "topK=4 minRelevance=" + t + " " + v[0] + text;
        assertEquals(v[0] + " at " + t, kept(plain, map, t), ids(hits("q", q, v[1], v[2])));
      }
    }
    // as a filter query it keeps the same documents
    String fq = EMBED + "topK=" + TOP_K + " minRelevance=" + adapter.threshold() + "}" + text;
    Set<String> asFilter = new HashSet<>(ids(hits("q", "*:*", "fq", fq, "rows", "100")));
    assertEquals(new HashSet<>(ids(hits("q", fq))), asFilter);
  }

  @Test
  public void rejectsBadValues() {
    String text = "}fever";
    for (String bad : List.of("0", "1", "1.5", "-0.2", "abc", "NaN", "")) {
      assertBadRequest("minRelevance must be a number in (0, 1) or 'default', got '" + bad + "'",
          EMBED + "minRelevance='" + bad + "'" + text);
      assertBadRequest("minRelevance must be a number in (0, 1) or 'default', got '" + bad + "'",
          HYBRID + "minRelevance='" + bad + "'" + text);
    }
    assertBadRequest("score must be one of ['similarity', 'relevance'], got 'foo'",
        EMBED + "score=foo" + text);
    assertBadRequest("normalization must be one of ['minmax', 'zscore', 'relevance'], got 'foo'",
        HYBRID + "fusion=linear normalization=foo" + text);
  }

  private static void assertBadRequest(String message, String q) {
    EmbedQParserTest.assertBadRequest(message, q);
  }

  @Test
  public void hybridMinRelevanceDropsDenseOnlyHitsBelowIt() throws Exception {
    int dropped = 0;
    for (String text : QUERIES) {
      List<String> lexical = ids(hits("q", "{!edismax qf='title text'}" + text, "rows", "3"));
      List<Hit> dense = hits("q", EMBED + "topK=" + TOP_K + "}" + text);
      QueryScoreMap map = mapOf(text);
      for (String fusion : List.of("fusion=rrf", "fusion=linear")) {
        String q = HYBRID + "lexicalDocs=3 topK=" + TOP_K + " " + fusion + " minRelevance=default}"
            + text;
        Set<String> expected = new HashSet<>(lexical);
        expected.addAll(kept(dense, map, adapter.threshold()));
        Set<String> all = new HashSet<>(lexical);
        all.addAll(ids(dense));
        assertEquals(text + " " + fusion, expected, new HashSet<>(ids(hits("q", q, "rows", "100"))));
        dropped += all.size() - expected.size();
      }
    }
    assertTrue("some dense-only candidates fell below the threshold", dropped > 0);
  }

  @Test
  public void relevanceNormalizationAddsTheDenseSidesRelevance() throws Exception {
    String text = "interest rates and inflation";
    List<Hit> lexical = hits("q", "{!edismax qf='title text'}" + text, "rows", "3");
    List<Hit> dense = hits("q", EMBED + "topK=4}" + text);
    assertEquals(2, lexical.size()); // docs 3 and 4
    QueryScoreMap map = mapOf(text);
    for (String minRelevance : List.of("", " minRelevance=default")) {
      double threshold = minRelevance.isEmpty() ? 0 : adapter.threshold();
      Map<String, Double> expected = new HashMap<>();
      float min = lexical.get(lexical.size() - 1).score();
      float max = lexical.get(0).score();
      for (Hit hit : lexical) { // min-max, as before
        expected.merge(hit.id(), 0.5 * (hit.score() - min) / (max - min), Double::sum);
      }
      for (Hit hit : dense) { // relevance, as it is
        double relevance = map.relevance(hit.score());
        if (relevance >= threshold) {
          expected.merge(hit.id(), 2 * relevance, Double::sum);
        }
      }
      List<Hit> fused = hits("q", HYBRID + "lexicalDocs=3 topK=4 fusion=linear normalization=relevance"
          + " lexicalWeight=0.5 denseWeight=2" + minRelevance + "}" + text, "rows", "100");
      assertEquals(minRelevance, expected.keySet(), new HashSet<>(ids(fused)));
      for (Hit hit : fused) {
        assertEquals(minRelevance + " " + hit, expected.get(hit.id()), hit.score(), 1e-5);
      }
    }
  }

  @Test
  public void theRegistryReadsTheQueryTowersCalibrationAndRefusesAStaleOne() throws Exception {
    CalibratedModels.copyOfQuantizedMiniLm(modelsDir, "plain");
    // the same int8 MiniLM as the query tower of itself: its directory's calibration is the one
    assertNotNull(registry("towers", "plain", "all-minilm-l6-v2-q").queryTower().calibration());
    // a calibration beside the document model is not for queries a query tower embeds
    assertNull(registry("documentsOnly", "all-minilm-l6-v2-q", "plain").queryTower().calibration());
    assertNull(registry("none", "plain", null).queryTower().calibration());

    Path stale = CalibratedModels.copyOfQuantizedMiniLm(modelsDir, "stale");
    CosineAdapter fitted = CalibratedModels.randomFor(stale, ScoreMap.LINEAR, 3, 0.5);
    CosineAdapter old = CalibratedModels.write(stale, new CosineAdapter("0123abcd-an-older-model",
        fitted.documentFingerprint(), fitted.map(), fitted.threshold(), fitted.w1(), fitted.b1(),
        fitted.w2(), fitted.b2()));
    SolrException e = expectThrows(SolrException.class, () -> registry("stale", "stale", null));
    assertEquals(500, e.code());
    String fingerprint = ModelDirectory.open(stale).manifest().fingerprint();
    for (String part : List.of("model 'stale' cannot be loaded", old.queryFingerprint(), fingerprint,
        stale.resolve(CosineAdapter.FILE_NAME).toString(), "whetstone calibrate")) {
      assertTrue(e.getMessage(), e.getMessage().contains(part));
    }
  }

  /** The model {@code name} of a registry declaring it (encoders shared with the core's). */
  private static EmbeddingModel registry(String name, String path, String queryPath) {
    NamedList<Object> settings = new NamedList<>();
    settings.add(WhetstoneParams.PATH, path);
    if (queryPath != null) {
      settings.add(WhetstoneParams.QUERY_PATH, queryPath);
    }
    NamedList<Object> models = new NamedList<>();
    models.add(name, settings);
    NamedList<Object> args = new NamedList<>();
    args.add(WhetstoneParams.MODELS_DIR, modelsDir.toString());
    args.add(WhetstoneParams.MODELS, models);
    ModelRegistryComponent registry = new ModelRegistryComponent();
    registry.init(args);
    registry.inform(h.getCore()); // its encoders are released when the core closes
    return ModelRegistryComponent.model(List.of(registry), name);
  }
}
