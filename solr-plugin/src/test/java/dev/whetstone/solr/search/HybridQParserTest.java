package dev.whetstone.solr.search;

import com.codahale.metrics.Counter;
import dev.whetstone.solr.ParsersTestCase;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.Test;

public class HybridQParserTest extends ParsersTestCase {
  private static final String HYBRID = "{!hybrid f=vector model=minilm lexicalQf='title text' ";

  @Test
  public void topDocumentIsSensibleForEveryFusion() throws Exception {
    for (String fusion : List.of("fusion=rrf", "fusion=linear", "fusion=linear normalization=zscore")) {
      assertEquals(fusion, "7", ids("q", HYBRID + fusion + "}sourdough bread starter", "fl", "id").get(0));
      // the words match nothing; the dense side alone finds the topic
      assertEquals(fusion, "1", ids("q", HYBRID + fusion + "}pills for a high temperature", "fl", "id").get(0));
    }
  }

  @Test
  public void fusedScoresAreTheHandComputedOnes() throws Exception {
    String text = "interest rates and inflation";
    List<Map<String, Object>> lexical =
        docs(select("q", "{!edismax qf='title text'}" + text, "rows", "3", "fl", "id,score"));
    List<Map<String, Object>> dense =
        docs(select("q", "{!embed f=vector model=minilm topK=3}" + text, "fl", "id,score"));
    assertEquals(2, lexical.size()); // docs 3 and 4
    assertEquals(3, dense.size());

    String[][] fusions = {
      {"fusion=rrf", "rrf"}, {"fusion=rrf rrfK=1", "rrf1"},
      {"fusion=linear", "minmax"}, {"fusion=linear normalization=zscore", "zscore"},
      {"fusion=linear lexicalWeight=0.25 denseWeight=2", "minmax weighted"},
    };
    for (String[] fusion : fusions) {
      double lexicalWeight = fusion[1].equals("minmax weighted") ? 0.25 : 1;
      double denseWeight = fusion[1].equals("minmax weighted") ? 2 : 1;
      Map<String, Double> expected = new HashMap<>();
      addContributions(expected, lexical, fusion[1], lexicalWeight);
      addContributions(expected, dense, fusion[1], denseWeight);

      Map<String, Object> rsp = select("q", HYBRID + "lexicalDocs=3 topK=3 " + fusion[0]
          + "}" + text, "fl", "id,score");
      assertEquals(fusion[0], expected.size(), numFound(rsp));
      double previous = Double.MAX_VALUE;
      for (Map<String, Object> doc : docs(rsp)) {
        double score = ((Number) doc.get("score")).doubleValue();
        assertEquals(fusion[0] + " " + doc, expected.get((String) doc.get("id")), score, 1e-5);
        assertTrue(fusion[0] + " best first", score <= previous);
        previous = score;
      }
    }
  }

  /** The formulas of the task, written out: rank r contributes 1/(k+r); scores are normalized. */
  private static void addContributions(Map<String, Double> fused, List<Map<String, Object>> side,
      String fusion, double weight) {
    List<Double> scores = new ArrayList<>();
    for (Map<String, Object> doc : side) {
      scores.add(((Number) doc.get("score")).doubleValue());
    }
    double min = scores.stream().mapToDouble(d -> d).min().orElseThrow();
    double max = scores.stream().mapToDouble(d -> d).max().orElseThrow();
    double mean = scores.stream().mapToDouble(d -> d).average().orElseThrow();
    double sd = Math.sqrt(scores.stream().mapToDouble(s -> (s - mean) * (s - mean)).sum() / scores.size());
    for (int i = 0; i < side.size(); i++) {
      double s = scores.get(i);
      double contribution = switch (fusion) {
        case "rrf" -> 1.0 / (60 + i + 1);
        case "rrf1" -> 1.0 / (1 + i + 1);
        case "zscore" -> (s - min) / sd;
        default -> (s - min) / (max - min);
      };
      fused.merge((String) side.get(i).get("id"), weight * contribution, Double::sum);
    }
  }

  @Test
  public void pagesAreSlicesOfOneRanking() throws Exception {
    for (String fusion : List.of("fusion=rrf", "fusion=linear normalization=zscore")) {
      String q = HYBRID + fusion + "}cooking food at home";
      List<String> first8 = ids("q", q, "rows", "8", "fl", "id");
      List<String> paged = new ArrayList<>(ids("q", q, "rows", "4", "start", "0", "fl", "id"));
      paged.addAll(ids("q", q, "rows", "4", "start", "4", "fl", "id"));
      assertEquals(fusion, first8, paged);
      assertEquals(8, first8.size());
      assertEquals("every document is a dense candidate", DOCS.length, numFound(select("q", q)));
    }
  }

  @Test
  public void filtersRestrictBothSidesCandidates() throws Exception {
    String q = HYBRID + "lexicalDocs=2 topK=2}fever medicine";
    Map<String, Object> rsp = select("q", q, "fq", "category:cooking", "fl", "id,category");
    // the windows are taken among cooking documents, not filtered after the fact
    assertEquals(2, numFound(rsp));
    for (Map<String, Object> doc : docs(rsp)) {
      assertEquals("cooking", doc.get("category"));
    }
    // as with {!knn}: a filter excluded from the pre-filter applies only after the windows
    List<String> postFiltered = new ArrayList<>(ids("q", q, "fl", "id"));
    postFiltered.retainAll(List.of("7", "8"));
    assertEquals(postFiltered, ids("q", HYBRID + "lexicalDocs=2 topK=2 excludeTags=c}"
        + "fever medicine", "fq", "{!tag=c}category:cooking", "fl", "id"));
    assertEquals(List.of("2"), ids("q", HYBRID + "preFilter=id:2}fever medicine", "fl", "id"));
  }

  @Test
  public void debugShowsBothSides() throws Exception {
    Map<String, Object> rsp = select("q", HYBRID + "}bread baking", "debugQuery", "true", "fl", "id");
    Map<?, ?> debug = (Map<?, ?>) rsp.get("debug");
    String parsed = (String) debug.get("parsedquery");
    assertTrue(parsed, parsed.contains("hybrid(rrf(k=60.0), lexical(window=100, weight=1.0): "));
    assertTrue(parsed, parsed.contains("title:bread"));
    assertTrue(parsed, parsed.contains("dense(window=100, weight=1.0): KnnFloatVectorQuery:vector["));
    String explain = (String) ((Map<?, ?>) debug.get("explain")).get("7");
    assertTrue(explain, explain.contains("hybrid rrf(k=60.0) score, sum of:"));
    assertTrue(explain, explain.contains("lexical: rank 1, raw score "));
    assertTrue(explain, explain.contains("dense: rank 1, raw score "));
  }

  @Test
  public void paramsFallBackToRequestParams() throws Exception {
    String[] common = {"f", "vector", "model", "minilm", "lexicalQf", "title text", "fl", "id"};
    List<String> local = ids("q", HYBRID + "}sourdough bread", "fl", "id");
    assertEquals(local, ids(concat(common, "q", "{!hybrid}sourdough bread")));
    assertEquals(local, ids(concat(common, "q", "sourdough bread", "defType", "hybrid")));
    // lexicalQuery replaces the lexical text only: piano wins lexically, bread densely
    List<String> split = ids("q", HYBRID + "lexicalQuery='piano scales'}sourdough bread", "fl", "id");
    assertEquals("14", split.get(0));
    assertTrue(split.contains("7"));
  }

  @Test
  public void embedsTheTextOncePerRequest() throws Exception {
    Counter embedded = EmbedQParserTest.counter("queriesEmbedded");
    long before = embedded.getCount();
    select("q", HYBRID + "}a text only the hybrid metrics test asks about", "debugQuery", "true");
    assertEquals(before + 1, embedded.getCount());
  }

  @Test
  public void rejectsBadInput() {
    String text = "}fever";
    assertBadRequest("unknown model 'nope'", "{!hybrid f=vector model=nope}fever");
    assertBadRequest("missing parameter 'f'", "{!hybrid model=minilm}fever");
    assertBadRequest("field 'small_vector' has vectorDimension 8", "{!hybrid f=small_vector model=minilm}fever");
    assertBadRequest("{!hybrid} needs query text to embed", HYBRID + "}");
    assertBadRequest("fusion must be one of ['rrf', 'linear'], got 'max'", HYBRID + "fusion=max" + text);
    assertBadRequest("normalization must be one of ['minmax', 'zscore', 'relevance'], got 'l2'",
        HYBRID + "fusion=linear normalization=l2" + text);
    assertBadRequest("rrfK must be a finite number >= 0, got '-1'", HYBRID + "rrfK=-1" + text);
    assertBadRequest("lexicalWeight must be a finite number >= 0, got '-0.5'",
        HYBRID + "lexicalWeight=-0.5" + text);
    assertBadRequest("denseWeight must be a finite number >= 0, got 'NaN'", HYBRID + "denseWeight=NaN" + text);
    assertBadRequest("lexicalDocs must be an integer > 0, got '0'", HYBRID + "lexicalDocs=0" + text);
    assertBadRequest("topK must be an integer > 0, got 'many'", HYBRID + "topK=many" + text);
    assertBadRequest("lexicalDefType must name a lexical query parser, got 'nope'",
        HYBRID + "lexicalDefType=nope" + text);
    assertBadRequest("lexicalDefType must name a lexical query parser, got 'hybrid'",
        HYBRID + "lexicalDefType=hybrid" + text);
    // this core's model has no calibration.json
    assertBadRequest("model 'minilm' has no calibration (calibration.json",
        HYBRID + "minRelevance=0.5" + text);
    assertBadRequest("so normalization=relevance cannot be served",
        HYBRID + "fusion=linear normalization=relevance" + text);
  }

  private static void assertBadRequest(String message, String q) {
    EmbedQParserTest.assertBadRequest(message, q);
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = new String[a.length + b.length];
    System.arraycopy(a, 0, all, 0, a.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }
}
