package dev.whetstone.solr.search;

import com.codahale.metrics.Counter;
import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.ParsersTestCase;
import dev.whetstone.solr.model.EmbeddingModel;
import dev.whetstone.solr.model.ModelRegistryComponent;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.QParser;
import org.junit.Test;

public class EmbedQParserTest extends ParsersTestCase {
  private static final String EMBED = "{!embed f=vector model=minilm ";

  @Test
  public void topicallyMatchingDocumentComesFirst() throws Exception {
    List<String> ids = ids("q", EMBED + "topK=5}which medicine brings a fever down", "fl", "id");
    assertEquals(5, ids.size());
    assertEquals("1", ids.get(0));
    assertEquals("7", ids("q", EMBED + "topK=3}how to bake bread", "fl", "id").get(0));
    assertEquals("10 results by default", 10,
        ids("q", EMBED + "}stars and galaxies", "fl", "id").size());
  }

  @Test
  public void paramsFallBackToRequestParams() throws Exception {
    List<String> local = ids("q", EMBED + "topK=3}how to bake bread", "fl", "id");
    assertEquals(local, ids("q", "how to bake bread", "defType", "embed", "f", "vector",
        "model", "minilm", "topK", "3", "fl", "id"));
  }

  @Test
  public void isTheKnnQueryOfTheEmbeddedText() throws Exception {
    String text = "planets and space exploration";
    float[] vector = ModelRegistryComponent.model(h.getCore(), "minilm").encoder().encodeQuery(text);
    String knn = "{!knn f=vector topK=4}" + vectorText(vector);
    String embed = EMBED + "topK=4}" + text;
    assertEquals(ids("q", knn, "fl", "id"), ids("q", embed, "fl", "id"));
    try (SolrQueryRequest req = req("fq", "category:space")) {
      Query expected = QParser.getParser(knn, req).getQuery();
      assertEquals(expected, QParser.getParser(embed, req).getQuery());
    }
  }

  @Test
  public void filtersLikeKnn() throws Exception {
    String text = "fever and headache medicine";
    List<String> unfiltered = ids("q", EMBED + "topK=3}" + text, "fl", "id");
    assertEquals("1", unfiltered.get(0));

    // fq is a pre-filter: the best document is gone, yet topK documents come back
    List<String> filtered = ids("q", EMBED + "topK=3}" + text, "fq", "-id:1", "fl", "id");
    assertFalse(filtered.contains("1"));
    assertEquals(3, filtered.size());

    float[] vector = ModelRegistryComponent.model(h.getCore(), "minilm").encoder().encodeQuery(text);
    String knn = "{!knn f=vector topK=3 ";
    String embed = EMBED + "topK=3 ";
    String[][] variants = {
      {"}", "fq", "-id:1"},
      {"preFilter=''}", "fq", "-id:1"}, // no pre-filter: fq removes the best of the 3 afterwards
      {"preFilter=category:health}", "fq", "-id:1"},
      {"excludeTags=t}", "fq", "{!tag=t}-id:1"},
      {"includeTags=t}", "fq", "{!tag=t}-id:1"},
    };
    for (String[] v : variants) {
      List<String> expected = ids("q", knn + v[0] + vectorText(vector), v[1], v[2], "fl", "id");
      assertEquals(v[0], expected, ids("q", embed + v[0] + text, v[1], v[2], "fl", "id"));
    }
    assertEquals("post-filtered", 2,
        ids("q", embed + "preFilter=''}" + text, "fq", "-id:1", "fl", "id").size());
  }

  @Test
  public void unitVectorsServeCosineAndDotProductFieldsAlike() throws Exception {
    // the model's manifest says dot_product; for unit vectors cosine scores are the same
    assertEquals(0, numFound(select("q", "{!embed f=cosine_vector model=minilm}fever")));
  }

  @Test
  public void forwardedVectorsAreHonouredOnlyWhenSigned() throws Exception {
    EmbeddingModel model = ModelRegistryComponent.model(h.getCore(), "minilm");
    String asked = "which medicine brings a fever down";
    String forwarded = "how to bake bread";
    String key = model.queryManifest().fingerprint() + ":" + EmbeddingModel.textHash(asked);
    String param = InternalParams.encodeVector(key, model.encoder().encodeQuery(forwarded));
    String q = EMBED + "topK=3}" + asked;
    // a shard uses the coordinator's vector for the text: here one of another text
    assertEquals(ids("q", EMBED + "topK=3}" + forwarded, "fl", "id"),
        ids("q", q, "fl", "id", "isShard", "true", InternalParams.QUERY_VECTOR, param,
            InternalParams.SIGNATURE, signature(q, InternalParams.QUERY_VECTOR, param)));
    // unsigned, isShard=true or not, or signed for another text
    String refused = "parameter 'whetstone.qv' is internal to Whetstone";
    assertQEx("unsigned shard request", refused,
        req("q", q, "isShard", "true", InternalParams.QUERY_VECTOR, param), ErrorCode.BAD_REQUEST);
    assertQEx("client-sent vector", refused,
        req("q", q, InternalParams.QUERY_VECTOR, param), ErrorCode.BAD_REQUEST);
    assertQEx("signed for another text", refused, req("q", q, "isShard", "true",
        InternalParams.QUERY_VECTOR, param, InternalParams.SIGNATURE,
        signature(EMBED + "topK=3}" + forwarded, InternalParams.QUERY_VECTOR, param)),
        ErrorCode.BAD_REQUEST);
    assertQEx("client-sent fused scores", "parameter 'whetstone.fused' is internal to Whetstone",
        req("q", "*:*", InternalParams.FUSED, "99.0:4"), ErrorCode.BAD_REQUEST);
    // signed but malformed: a 400 naming the parameter, never a 500
    for (String malformed : List.of(key + ":!!!", key + ":AAAA",
        InternalParams.encodeVector(key, new float[] {Float.NaN}),
        InternalParams.encodeVector(key, nonFinite(model.manifest().dimension())))) {
      assertQEx(malformed, "parameter 'whetstone.qv': expected", req("q", q, "isShard", "true",
          InternalParams.QUERY_VECTOR, malformed, InternalParams.SIGNATURE,
          signature(q, InternalParams.QUERY_VECTOR, malformed)), ErrorCode.BAD_REQUEST);
    }
    assertEquals("1", ids("q", q, "fl", "id").get(0));
  }

  @Test
  public void signedButMalformedFusedScoresAreA400() throws Exception {
    String q = "{!hybrid f=vector model=minilm}bread";
    String fusedFor;
    try (SolrQueryRequest req = req("q", q)) {
      fusedFor = ((HybridQParser) QParser.getParser(q, req)).signature();
    }
    for (String malformed : List.of("abc:1", "1.0", "-1:1", "Infinity:1")) {
      assertQEx(malformed, "parameter 'whetstone.fused': expected", req("q", q, "isShard", "true",
          InternalParams.FUSED, malformed, InternalParams.FUSED_FOR, fusedFor,
          InternalParams.SIGNATURE, signature(q, InternalParams.FUSED, malformed,
              InternalParams.FUSED_FOR, fusedFor)), ErrorCode.BAD_REQUEST);
    }
  }

  /** What a coordinator of this node would send as the signature of {@code q} and params. */
  private static String signature(String q, String... namesAndValues) {
    ModifiableSolrParams params = new ModifiableSolrParams().add("q", q);
    for (int i = 0; i < namesAndValues.length; i += 2) {
      params.add(namesAndValues[i], namesAndValues[i + 1]);
    }
    return InternalParams.signer(h.getCoreContainer()).sign(params);
  }

  private static float[] nonFinite(int dimension) {
    float[] vector = new float[dimension];
    vector[dimension - 1] = Float.POSITIVE_INFINITY;
    return vector;
  }

  @Test
  public void embedsOncePerTextThenHitsTheCache() throws Exception {
    Counter embedded = counter("queriesEmbedded");
    Counter cacheHits = counter("queryCacheHits");
    long embeddedBefore = embedded.getCount();
    long hitsBefore = cacheHits.getCount();
    String q = EMBED + "topK=2}a text only the metrics test asks about";
    ids("q", q);
    assertEquals(embeddedBefore + 1, embedded.getCount());
    assertEquals(hitsBefore, cacheHits.getCount());
    ids("q", q);
    assertEquals(embeddedBefore + 1, embedded.getCount());
    assertEquals(hitsBefore + 1, cacheHits.getCount());
  }

  @Test
  public void rejectsBadInput() {
    assertBadRequest("unknown model 'nope'", "{!embed f=vector model=nope}fever");
    assertBadRequest("missing parameter 'model'", "{!embed f=vector}fever");
    assertBadRequest("missing parameter 'f'", "{!embed model=minilm}fever");
    assertBadRequest("undefined field 'nope'", "{!embed f=nope model=minilm}fever");
    assertBadRequest("field 'title' has type 'text_en' (TextField), not a DenseVectorField",
        "{!embed f=title model=minilm}fever");
    assertBadRequest("field 'small_vector' has vectorDimension 8 but model 'minilm' (all-minilm-l6-v2-q) produces 384",
        "{!embed f=small_vector model=minilm}fever");
    assertBadRequest("field 'euclidean_vector' has similarityFunction euclidean but model 'minilm' "
        + "(all-minilm-l6-v2-q) makes vectors for dot_product", "{!embed f=euclidean_vector model=minilm}fever");
    assertBadRequest("topK must be an integer > 0, got '0'", EMBED + "topK=0}fever");
    assertBadRequest("topK must be an integer > 0, got '-1'", EMBED + "topK=-1}fever");
    assertBadRequest("topK must be an integer > 0, got 'ten'", EMBED + "topK=ten}fever");
    assertBadRequest("{!embed} needs query text to embed", EMBED + "}");
    assertBadRequest("{!embed} needs query text to embed", EMBED + "}   ");
    assertBadRequest("Expected", EMBED + "topK=3 fever");
    // this core's model has no calibration.json
    assertBadRequest("model 'minilm' has no calibration (calibration.json in the directory of the "
        + "model that embeds its queries), so minRelevance cannot be served: fit one with "
        + "'whetstone calibrate'", EMBED + "minRelevance=0.5}fever");
    assertBadRequest("model 'minilm' has no calibration", EMBED + "minRelevance=default}fever");
    assertBadRequest("so score=relevance cannot be served", EMBED + "score=relevance}fever");
    assertBadRequest("minRelevance must be a number in (0, 1) or 'default', got '2'",
        EMBED + "minRelevance=2}fever");
  }

  public static void assertBadRequest(String message, String q) {
    assertQEx(q, message, req("q", q), ErrorCode.BAD_REQUEST);
  }

  public static Counter counter(String name) {
    Map<String, Counter> counters = h.getCore().getCoreMetricManager().getRegistry().getCounters(
        (metricName, metric) -> metricName.endsWith(".embeddings.minilm." + name)); // OTHER.embeddings.minilm.NAME
    assertEquals(counters.keySet().toString(), 1, counters.size());
    return counters.values().iterator().next();
  }
}
