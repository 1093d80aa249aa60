package dev.whetstone.solr.update;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Metric;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.TestModels;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.ModelRegistryComponent;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.Term;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/** Index-time embedding through the test configset's "embed" chain, with the real int8 MiniLM. */
public class EmbeddingUpdateProcessorTest extends SolrTestCaseJ4 {
  // SearchComponent#getCategory is OTHER, so the registry's metrics live under OTHER, not QUERY
  private static final String METRIC_PATH = "OTHER.embeddings.minilm.";
  private static final int DIMENSION = 384;

  private static Encoder encoder;

  @BeforeClass
  public static void beforeClass() throws Exception {
    TestModels.quantizedMiniLm();
    System.setProperty(WhetstoneParams.MODELS_DIR_PROPERTY, TestModels.root().toString());
    System.setProperty("enable.update.log", "true");
    useFactory(null);
    initCore("solrconfig.xml", "schema.xml");
    encoder = ModelRegistryComponent.model(h.getCore(), "minilm").encoder();
  }

  @AfterClass
  public static void afterClass() {
    encoder = null;
    System.clearProperty(WhetstoneParams.MODELS_DIR_PROPERTY);
    System.clearProperty("enable.update.log");
  }

  @Test
  public void addedDocumentsGetTheVectorOfTitleAndText() throws Exception {
    assertU(adoc("id", "t1", "title", "Aspirin", "text", "Aspirin lowers fever in adults."));
    assertU(adoc("id", "t2", "text", "The stock market closed higher on Friday."));
    assertU(commit());

    float[] titleAndText = indexedVector("t1");
    assertVectorEquals(embedAlone("Aspirin Aspirin lowers fever in adults."), titleAndText, 1e-4);
    assertVectorEquals(embedAlone("The stock market closed higher on Friday."),
        indexedVector("t2"), 1e-4);

    float[] query = encoder.encodeQuery("what reduces a fever");
    assertQ(req("q", "{!knn f=vector topK=3}" + vectorParam(query), "fl", "id"),
        "//result/doc[1]/str[@name='id'][.='t1']");
  }

  @Test
  public void documentsOfOneBatchGetTheirOwnVectors() throws Exception {
    List<String> texts = List.of("Vitamin D",
        "Vitamin D deficiency raises the risk of fractures in older adults.",
        "Rain is expected tomorrow across the north of the country, with strong winds.",
        "Chess", "Penguins live in the southern hemisphere.");
    StringBuilder xml = new StringBuilder("<add>");
    for (int i = 0; i < texts.size(); i++) {
      xml.append(doc("id", "b" + i, "text", texts.get(i)));
    }
    long embedded = counter("documentsEmbedded").getCount();
    long batches = histogram("documentBatchSize").getCount();
    assertU(xml.append("</add>").toString());
    assertU(commit());

    // batchSize is 4: one model call for the first four documents, one for the fifth
    assertEquals(texts.size(), counter("documentsEmbedded").getCount() - embedded);
    assertEquals(2, histogram("documentBatchSize").getCount() - batches);
    for (int i = 0; i < texts.size(); i++) {
      // int8 activations depend a little on the batch's padding
      assertTrue(texts.get(i), dot(embedAlone(texts.get(i)), indexedVector("b" + i)) > 0.99);
    }
  }

  @Test
  public void suppliedVectorIsKeptAndNotEmbedded() throws Exception {
    float[] supplied = new float[DIMENSION];
    supplied[7] = 1f;
    long embedded = counter("documentsEmbedded").getCount();
    assertU(adoc(withVector(supplied, "id", "s1", "text", "A text that is not embedded.")));
    assertU(commit());
    assertEquals(embedded, counter("documentsEmbedded").getCount());
    assertVectorEquals(supplied, indexedVector("s1"), 0);
  }

  @Test
  public void suppliedVectorWithNaNIsRefused() {
    float[] supplied = new float[DIMENSION];
    supplied[3] = Float.NaN;
    SolrException e = updateFails(adoc(withVector(supplied, "id", "nan1", "text", "x")));
    assertTrue(e.getMessage(), e.getMessage().contains("'nan1'"));
    assertTrue(e.getMessage(), e.getMessage().contains("'vector'"));
    assertTrue(e.getMessage(), e.getMessage().contains("NaN"));
  }

  @Test
  public void suppliedVectorOfWrongDimensionIsRefused() {
    SolrException e = updateFails(adoc(withVector(new float[10], "id", "dim1", "text", "x")));
    assertTrue(e.getMessage(), e.getMessage().contains("'dim1'"));
    assertTrue(e.getMessage(), e.getMessage().contains("'vector'"));
    assertTrue(e.getMessage(), e.getMessage().contains("384"));
  }

  @Test
  public void documentWithoutTextFailsItsWholeBatch() throws Exception {
    StringBuilder xml = new StringBuilder("<add>");
    for (int i = 1; i <= 5; i++) {
      xml.append(doc("id", "f" + i, "title", "Title " + i, "text", "Text number " + i));
    }
    xml.append(doc("id", "f6", "title", " ", "text", "  "));
    xml.append(doc("id", "f7", "text", "After the failure")).append("</add>");

    SolrException e = updateFails(xml.toString());
    assertTrue(e.getMessage(), e.getMessage().contains("'f6'"));
    assertTrue(e.getMessage(), e.getMessage().contains("[title, text]"));
    assertU(commit());
    // f1..f4 were a full batch, indexed before f6 arrived; f5 shared f6's batch
    for (String id : List.of("f1", "f2", "f3", "f4")) {
      indexedVector(id);
    }
    for (String id : List.of("f5", "f6", "f7")) {
      assertQ(req("q", "id:" + id), "//result[@numFound='0']");
    }
  }

  @Test
  public void textPastMaxLengthIsTruncated() throws Exception {
    assertU(adoc("id", "long1", "text", "word ".repeat(5000)));
    assertU(commit());
    assertEquals(1.0, Math.sqrt(dot(indexedVector("long1"), indexedVector("long1"))), 1e-3);
  }

  @Test
  public void atomicUpdatesKeepTheVectorButCannotChangeInputFields() throws Exception {
    assertU(adoc("id", "a1", "text", "Insulin regulates blood sugar."));
    assertU(commit());
    float[] before = indexedVector("a1");

    updateJ("[{\"id\":\"a1\",\"category\":{\"set\":\"medicine\"}}]", null);
    assertU(commit());
    assertQ(req("q", "category:medicine", "fl", "id"), "//result/doc[1]/str[@name='id'][.='a1']");
    assertVectorEquals(before, indexedVector("a1"), 1e-6);

    ignoreException("atomic update");
    SolrException e = expectThrows(SolrException.class,
        () -> updateJ("[{\"id\":\"a1\",\"text\":{\"set\":\"Changed.\"}}]", null));
    resetExceptionIgnores();
    assertEquals(400, e.code());
    assertTrue(e.getMessage(), e.getMessage().contains("'a1'"));
  }

  @Test
  public void outputFieldMustMatchTheModelDimension() {
    SolrException e = configError("model", "minilm", "inputFields", "text",
        "outputField", "small_vector");
    assertTrue(e.getMessage(), e.getMessage().contains("'small_vector' has vectorDimension 8"));
    assertTrue(e.getMessage(), e.getMessage().contains("produces 384-dimension vectors"));
  }

  @Test
  public void outputFieldMustUseTheModelsSimilarity() {
    SolrException e = configError("model", "minilm", "inputFields", "text",
        "outputField", "euclidean_vector");
    assertTrue(e.getMessage(), e.getMessage().contains(
        "'euclidean_vector' has similarityFunction euclidean but model 'minilm'"));
    assertTrue(e.getMessage(), e.getMessage().contains("makes vectors for dot_product"));
  }

  @Test
  public void outputFieldMustBeAVectorField() {
    SolrException e = configError("model", "minilm", "inputFields", "text", "outputField", "title");
    assertTrue(e.getMessage(), e.getMessage().contains("'title'"));
    assertTrue(e.getMessage(), e.getMessage().contains("DenseVectorField"));
    e = configError("model", "minilm", "inputFields", "text", "outputField", "nope");
    assertTrue(e.getMessage(), e.getMessage().contains("'nope' is not a field"));
  }

  @Test
  public void unknownModelNamesTheDeclaredOnes() {
    SolrException e = configError("model", "bert", "inputFields", "text", "outputField", "vector");
    assertTrue(e.getMessage(), e.getMessage().contains("unknown model 'bert'"));
    assertTrue(e.getMessage(), e.getMessage().contains("[minilm]"));
  }

  @Test
  public void badParametersAreRefused() {
    assertTrue(configError("inputFields", "text", "outputField", "vector").getMessage()
        .contains("missing parameter 'model'"));
    assertTrue(configError("model", "minilm", "inputFields", " , ", "outputField", "vector")
        .getMessage().contains("inputFields names no field"));
    assertTrue(configError("model", "minilm", "inputFields", "text", "outputField", "vector",
        "batchSize", "0").getMessage().contains("batchSize must be an integer > 0, got '0'"));
    assertTrue(configError("model", "minilm", "inputFields", "text", "outputField", "vector",
        "skipExisting", "yes").getMessage().contains("skipExisting must be true or false, got 'yes'"));
    assertTrue(configError("model", "minilm", "inputFields", "text", "outputField", "vector",
        "inputField", "title").getMessage().contains("unknown parameter 'inputField'"));
  }

  /** Runs a factory's init and inform on the test core; both must fail at core load. */
  private static SolrException configError(String... keysAndValues) {
    NamedList<Object> args = new NamedList<>();
    for (int i = 0; i < keysAndValues.length; i += 2) {
      args.add(keysAndValues[i], keysAndValues[i + 1]);
    }
    EmbeddingUpdateProcessorFactory factory = new EmbeddingUpdateProcessorFactory();
    SolrException e = expectThrows(SolrException.class, () -> {
      factory.init(args);
      factory.inform(h.getCore());
    });
    assertEquals(500, e.code());
    return e;
  }

  private static SolrException updateFails(String xml) {
    ignoreException("document '");
    try {
      SolrException e = expectThrows(SolrException.class, () -> h.update(xml));
      assertEquals(400, e.code());
      return e;
    } finally {
      resetExceptionIgnores();
    }
  }

  private static float[] embedAlone(String text) {
    return encoder.encodeDocuments(List.of(text))[0];
  }

  /** The vector the index holds for a document. */
  private static float[] indexedVector(String id) throws IOException {
    float[] vector = h.getCore().withSearcher(searcher -> {
      int doc = searcher.getFirstMatch(new Term("id", id));
      if (doc < 0) {
        return null;
      }
      List<LeafReaderContext> leaves = searcher.getIndexReader().leaves();
      LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
      FloatVectorValues values = leaf.reader().getFloatVectorValues("vector");
      int target = doc - leaf.docBase;
      if (values == null || values.advance(target) != target) {
        return null;
      }
      return values.vectorValue().clone();
    });
    assertNotNull("no vector indexed for " + id, vector);
    return vector;
  }

  private static String[] withVector(float[] vector, String... fieldsAndValues) {
    List<String> all = new ArrayList<>(List.of(fieldsAndValues));
    for (float v : vector) {
      all.add("vector");
      all.add(Float.toString(v));
    }
    return all.toArray(new String[0]);
  }

  private static String vectorParam(float[] vector) {
    StringBuilder s = new StringBuilder("[");
    for (int i = 0; i < vector.length; i++) {
      s.append(i == 0 ? "" : ",").append(Float.toString(vector[i]));
    }
    return s.append(']').toString();
  }

  private static Counter counter(String name) {
    return (Counter) metric(name);
  }

  private static Histogram histogram(String name) {
    return (Histogram) metric(name);
  }

  private static Metric metric(String name) {
    Map<String, Metric> metrics = h.getCore().getSolrMetricsContext().getMetricRegistry().getMetrics();
    Metric metric = metrics.get(METRIC_PATH + name);
    assertNotNull(METRIC_PATH + name + " not in " + metrics.keySet().stream()
        .filter(n -> n.contains("embeddings")).sorted().toList(), metric);
    return metric;
  }

  private static void assertVectorEquals(float[] expected, float[] actual, double delta) {
    assertEquals(expected.length, actual.length);
    for (int i = 0; i < expected.length; i++) {
      assertEquals("value " + i, expected[i], actual[i], delta);
    }
  }

  private static double dot(float[] a, float[] b) {
    double s = 0;
    for (int i = 0; i < a.length; i++) {
      s += a[i] * b[i];
    }
    return s;
  }
}
