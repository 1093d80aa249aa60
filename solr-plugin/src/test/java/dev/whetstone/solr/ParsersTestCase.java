package dev.whetstone.solr;

import dev.whetstone.model.TestModels;
import dev.whetstone.solr.model.ModelRegistryComponent;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.util.Utils;
import org.junit.AfterClass;
import org.junit.BeforeClass;

/**
 * A core with the {@code embed} and {@code hybrid} parsers and a few short documents on distinct
 * topics, their vectors computed by the core's int8 MiniLM.
 */
public abstract class ParsersTestCase extends SolrTestCaseJ4 {
  /** id, category, title, text. */
  public static final String[][] DOCS = {
    {"1", "health", "Aspirin reduces fever", "Aspirin and paracetamol lower fever and relieve headaches in adults."},
    {"2", "health", "Vitamin D and bones", "Vitamin D deficiency raises the risk of bone fractures in older people."},
    {"3", "finance", "Stock market rally", "Shares closed higher on Friday as investors bet on lower interest rates."},
    {"4", "finance", "Central bank decision", "The central bank kept interest rates unchanged to fight inflation."},
    {"5", "sports", "Cup final", "The home team won the football cup final after a penalty shootout."},
    {"6", "sports", "Marathon training", "Runners prepare for a marathon with long slow runs and rest days."},
    {"7", "cooking", "Sourdough bread", "Bake sourdough bread with flour, water, salt and a lively starter."},
    {"8", "cooking", "Tomato soup", "Roast tomatoes and garlic, then blend them into a smooth soup."},
    {"9", "space", "Mars rover", "A rover on Mars drilled rock samples looking for signs of ancient life."},
    {"10", "space", "Black holes", "Black holes bend light and swallow stars that come too close."},
    {"11", "programming", "Python lists", "In Python a list comprehension builds a new list from an iterable."},
    {"12", "programming", "Java garbage collection", "The JVM garbage collector frees the memory of unreachable objects."},
    {"13", "gardening", "Growing roses", "Prune roses in early spring and water them at the roots."},
    {"14", "music", "Piano practice", "Practice scales slowly on the piano to build finger strength."},
  };

  @BeforeClass
  public static void initParsersCore() throws Exception {
    initCoreWithDocs("solrconfig.xml", "schema.xml");
  }

  /** A core from these files of the test configset, with {@link #DOCS} indexed and committed. */
  public static void initCoreWithDocs(String config, String schema) throws Exception {
    TestModels.quantizedMiniLm();
    initCoreWithDocs(config, schema, TestModels.root());
  }

  /** The same, with the models (the int8 MiniLM as {@code all-minilm-l6-v2-q}) in {@code modelsDir}. */
  public static void initCoreWithDocs(String config, String schema, java.nio.file.Path modelsDir)
      throws Exception {
    System.setProperty(WhetstoneParams.MODELS_DIR_PROPERTY, modelsDir.toString());
    useFactory(null);
    initCore(config, schema, Paths.get("src/test/resources/solr").toAbsolutePath().toString());
    List<String> texts = new ArrayList<>();
    for (String[] doc : DOCS) {
      texts.add(doc[2] + ". " + doc[3]);
    }
    float[][] vectors = ModelRegistryComponent.model(h.getCore(), "minilm").embedDocuments(texts, 8);
    for (int i = 0; i < DOCS.length; i++) {
      SolrInputDocument doc = sdoc("id", DOCS[i][0], "category", DOCS[i][1], "title", DOCS[i][2],
          "text", DOCS[i][3]);
      doc.addField("vector", vectorList(vectors[i]));
      assertU(adoc(doc));
    }
    assertU(commit());
  }

  @AfterClass
  public static void clearModelsDir() {
    System.clearProperty(WhetstoneParams.MODELS_DIR_PROPERTY);
  }

  public static List<Float> vectorList(float[] vector) {
    List<Float> list = new ArrayList<>(vector.length);
    for (float v : vector) {
      list.add(v);
    }
    return list;
  }

  /** {@code {!knn}}'s text form of a vector. */
  public static String vectorText(float[] vector) {
    return vectorList(vector).toString().replace(" ", "");
  }

  /** The JSON response of /select for these params, as maps and lists. */
  @SuppressWarnings("unchecked")
  public static Map<String, Object> select(String... params) throws Exception {
    String[] withJson = new String[params.length + 2];
    System.arraycopy(params, 0, withJson, 0, params.length);
    withJson[params.length] = "wt";
    withJson[params.length + 1] = "json";
    return (Map<String, Object>) Utils.fromJSONString(h.query(req(withJson)));
  }

  @SuppressWarnings("unchecked")
  public static List<Map<String, Object>> docs(Map<String, Object> rsp) {
    return (List<Map<String, Object>>) ((Map<String, Object>) rsp.get("response")).get("docs");
  }

  public static long numFound(Map<String, Object> rsp) {
    return ((Number) ((Map<?, ?>) rsp.get("response")).get("numFound")).longValue();
  }

  public static List<String> ids(Map<String, Object> rsp) {
    List<String> ids = new ArrayList<>();
    for (Map<String, Object> doc : docs(rsp)) {
      ids.add((String) doc.get("id"));
    }
    return ids;
  }

  /** Ids of a query, best first. */
  public static List<String> ids(String... params) throws Exception {
    return ids(select(params));
  }
}
