package dev.whetstone.solr.schema;

import dev.whetstone.codec.gpu.GpuKnn;
import dev.whetstone.codec.gpu.GpuKnnSettings;
import dev.whetstone.codec.gpu.KnnFallback;
import dev.whetstone.codec.KnnFieldSettings;
import dev.whetstone.codec.gpu.KnnSearchMode;
import dev.whetstone.codec.SearchModeReader;
import dev.whetstone.codec.WhetstoneKnnVectorsFormat;
import dev.whetstone.solr.ParsersTestCase;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.ModelRegistryComponent;
import java.io.IOException;
import java.io.StringReader;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import javax.xml.parsers.DocumentBuilderFactory;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.util.Version;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.embedded.EmbeddedSolrServer;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.ConfigSetService;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.schema.IndexSchema;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.util.DOMConfigNode;
import org.apache.solr.util.RefCounted;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.xml.sax.InputSource;

/**
 * A core whose 384-d vector types opt in to {@link GpuKnnCodecFactory}: its segments carry the
 * Whetstone format and the field type's GPU attributes, {@code {!knn}} and {@code {!embed}} answer
 * as before, and the CPU exact path agrees with the default one. On a machine with a GPU, the kNN
 * searches run on it: the type's {@code gpuMinVectors="1"} sends the 14 documents there.
 */
public class GpuKnnCodecFactoryTest extends SolrTestCaseJ4 {
  @BeforeClass
  public static void initGpuCore() throws Exception {
    ParsersTestCase.initCoreWithDocs("solrconfig-gpuknn.xml", "schema-gpuknn.xml");
  }

  @AfterClass
  public static void clearModelsDir() {
    System.clearProperty(WhetstoneParams.MODELS_DIR_PROPERTY);
  }

  @Test
  public void fieldTypeAttributesReachTheFormatAndTheSegments() {
    PerFieldKnnVectorsFormat perField =
        (PerFieldKnnVectorsFormat) h.getCore().getCodec().knnVectorsFormat();
    assertEquals(new KnnFieldSettings(null, 1), settingsOf(perField, "vector"));
    assertEquals(new KnnFieldSettings(KnnSearchMode.EXACT, KnnFieldSettings.NODE_DEFAULT),
        settingsOf(perField, "exact_vector"));
    assertEquals("a plain DenseVectorField: the node's settings", KnnFieldSettings.NODE_DEFAULTS,
        settingsOf(perField, "plain_gpu_vector"));

    RefCounted<SolrIndexSearcher> searcher = h.getCore().getSearcher();
    try {
      for (LeafReaderContext leaf : searcher.get().getIndexReader().leaves()) {
        assertEquals("written into the segment, where the reader finds it",
            new KnnFieldSettings(null, 1),
            KnnFieldSettings.readFrom(leaf.reader().getFieldInfos().fieldInfo("vector")));
      }
    } finally {
      searcher.decref();
    }
  }

  private static KnnFieldSettings settingsOf(PerFieldKnnVectorsFormat perField, String field) {
    KnnVectorsFormat format = perField.getKnnVectorsFormatForField(field);
    assertTrue(field + ": " + format, format instanceof WhetstoneKnnVectorsFormat);
    return ((WhetstoneKnnVectorsFormat) format).fieldSettings();
  }

  @Test
  public void invalidAttributesNameTheFieldTypeAndTheAttribute() {
    assertInvalid(Map.of("knnSearchMode", "fast"), "knnSearchMode=\"fast\" is not auto, hnsw or exact");
    assertInvalid(Map.of("gpuMinVectors", "many"), "gpuMinVectors=\"many\" is not a whole number");
    assertInvalid(Map.of("gpuMinVectors", "-1"), "gpuMinVectors=\"-1\" must be 0 or more");
    Map<String, String> hnsw = new HashMap<>(Map.of("gpuMinVectors", "5"));
    hnsw.put("knnAlgorithm", "hnsw");
    assertInvalid(hnsw, "gpuMinVectors needs knnAlgorithm=\"whetstone-gpu\", not \"hnsw\"");
  }

  @Test
  public void aSchemaWithABadAttributeFailsNamingTheTypeAndAttribute() {
    String xml = "<schema name=\"bad\" version=\"1.7\">"
        + "<fieldType name=\"string\" class=\"solr.StrField\"/>"
        + "<fieldType name=\"knn_vector_384\" class=\"dev.whetstone.solr.schema.GpuDenseVectorField\""
        + " vectorDimension=\"384\" knnAlgorithm=\"whetstone-gpu\" knnSearchMode=\"fast\"/>"
        + "<field name=\"id\" type=\"string\"/><uniqueKey>id</uniqueKey></schema>";
    ConfigSetService.ConfigResource resource = () -> new DOMConfigNode(
        DocumentBuilderFactory.newInstance().newDocumentBuilder()
            .parse(new InputSource(new StringReader(xml))).getDocumentElement());
    SolrException e = expectThrows(SolrException.class, () -> new IndexSchema("bad-schema.xml",
        resource, Version.LATEST, h.getCore().getResourceLoader(), new Properties()));
    StringBuilder messages = new StringBuilder();
    for (Throwable t = e; t != null; t = t.getCause()) {
      messages.append(t.getMessage()).append('\n');
    }
    // Solr's message names the plugin kind; its cause (logged with it) is ours
    assertTrue(messages.toString(), messages.toString().contains(
        "fieldType \"knn_vector_384\": knnSearchMode=\"fast\" is not auto, hnsw or exact"));
  }

  private static void assertInvalid(Map<String, String> attributes, String expected) {
    Map<String, String> args = new HashMap<>(Map.of("vectorDimension", "4",
        "knnAlgorithm", GpuKnnCodecFactory.KNN_ALGORITHM));
    args.putAll(attributes);
    GpuDenseVectorField type = new GpuDenseVectorField() {
      {
        typeName = "knn_bad"; // as the schema loader names a type before its init
      }
    };
    SolrException e = expectThrows(SolrException.class,
        () -> type.init(h.getCore().getLatestSchema(), args));
    assertEquals("fieldType \"knn_bad\": " + expected, e.getMessage());
  }

  @Test
  public void optedInFieldIsWrittenWithTheWhetstoneFormat() {
    Codec codec = h.getCore().getCodec();
    PerFieldKnnVectorsFormat perField = (PerFieldKnnVectorsFormat) codec.knnVectorsFormat();
    assertEquals(WhetstoneKnnVectorsFormat.NAME, perField.getKnnVectorsFormatForField("vector").getName());
    assertNotEquals(WhetstoneKnnVectorsFormat.NAME,
        perField.getKnnVectorsFormatForField("small_vector").getName());

    RefCounted<SolrIndexSearcher> searcher = h.getCore().getSearcher();
    try {
      List<LeafReaderContext> leaves = searcher.get().getIndexReader().leaves();
      assertFalse(leaves.isEmpty());
      for (LeafReaderContext leaf : leaves) {
        FieldInfo vector = leaf.reader().getFieldInfos().fieldInfo("vector");
        assertEquals(WhetstoneKnnVectorsFormat.NAME,
            vector.getAttribute(PerFieldKnnVectorsFormat.PER_FIELD_FORMAT_KEY));
      }
    } finally {
      searcher.decref();
    }
  }

  @Test
  public void storedVectorsComeBackAsNumbersLikeDenseVectorFields() throws Exception {
    // javabin, as SolrJ clients read it: a DenseVectorField subclass used to get 384 strings
    // (Solr's DocsStreamer.KNOWN_TYPES); the text writers (XML, JSON) were never affected
    try (EmbeddedSolrServer server = new EmbeddedSolrServer(h.getCore())) {
      SolrDocument doc = server.query(new SolrQuery("id:1").setFields("vector"))
          .getResults().get(0);
      Collection<Object> values = doc.getFieldValues("vector");
      assertEquals(384, values.size());
      for (Object value : values) {
        assertTrue(value.getClass().getName(), value instanceof Float);
      }
    }
  }

  @Test
  public void knnAndEmbedAnswerAsBefore() throws Exception {
    String text = "which medicine brings a fever down";
    List<String> embed = ParsersTestCase.ids("q", "{!embed f=vector model=minilm topK=5}" + text, "fl", "id");
    assertEquals(5, embed.size());
    assertEquals("1", embed.get(0));
    float[] vector = ModelRegistryComponent.model(h.getCore(), "minilm").encoder().encodeQuery(text);
    String knn = "{!knn f=vector topK=5}" + ParsersTestCase.vectorText(vector);
    assertEquals(embed, ParsersTestCase.ids("q", knn, "fl", "id"));

    // the exact CPU scan, the GPU's reference, gives the same top 5 (and a filtered top 3)
    assertEquals(List.of("2"), ParsersTestCase.ids("q", "{!knn f=vector topK=3}"
        + ParsersTestCase.vectorText(vector), "fq", "category:health", "fq", "-id:1", "fl", "id"));
    Query filter = new BooleanQuery.Builder()
        .add(new TermQuery(new Term("category", "health")), BooleanClause.Occur.FILTER)
        .add(new TermQuery(new Term("id", "1")), BooleanClause.Occur.MUST_NOT)
        .build();
    RefCounted<SolrIndexSearcher> ref = h.getCore().getSearcher();
    try {
      SolrIndexSearcher solr = ref.get();
      IndexSearcher exact =
          new IndexSearcher(SearchModeReader.wrap(solr.getIndexReader(), KnnSearchMode.EXACT));
      assertEquals(embed, ids(solr, exact.search(new KnnFloatVectorQuery("vector", vector, 5), 5)));
      assertEquals(ids(solr, solr.search(new KnnFloatVectorQuery("vector", vector, 3, filter), 3)),
          ids(solr, exact.search(new KnnFloatVectorQuery("vector", vector, 3, filter), 3)));
    } finally {
      ref.decref();
    }
  }

  private static List<String> ids(SolrIndexSearcher searcher, TopDocs top) throws IOException {
    List<String> ids = new ArrayList<>();
    for (ScoreDoc hit : top.scoreDocs) {
      ids.add(searcher.getDocFetcher().doc(hit.doc, Set.of("id")).get("id"));
    }
    return ids;
  }

  @Test
  public void nodeSettingsComeFromTheFactorysArguments() throws Exception {
    NamedList<Object> args = new NamedList<>();
    args.add("maxBatch", 0);
    SolrException e = expectThrows(SolrException.class, () -> new GpuKnnCodecFactory().init(args));
    assertTrue(e.getMessage(), e.getMessage().contains("whetstone.gpu.maxBatch=0"));
    NamedList<Object> mode = new NamedList<>();
    mode.add("knnSearchMode", "fast");
    e = expectThrows(SolrException.class, () -> new GpuKnnCodecFactory().init(mode));
    assertTrue(e.getMessage(), e.getMessage().contains("knnSearchMode: \"fast\""));

    GpuKnn gpu = GpuKnn.node(); // the node every core's codec reads on
    GpuKnnSettings node = gpu.settings();
    NamedList<Object> same = new NamedList<>();
    same.add("maxBatch", node.maxBatch());
    same.add("knnSearchMode", node.searchMode().name().toLowerCase(Locale.ROOT));
    long ignored = gpu.ignoredSettings();
    new GpuKnnCodecFactory().init(same);
    assertSame("the node's settings, fixed once", node, gpu.settings());
    assertEquals("the same settings are no conflict", ignored, gpu.ignoredSettings());

    // a second core asking for other node settings: ignored, logged and counted in the metrics
    NamedList<Object> other = new NamedList<>();
    other.add("maxBatch", node.maxBatch() + 1);
    new GpuKnnCodecFactory().init(other);
    assertSame(node, gpu.settings());
    assertEquals(ignored + 1, gpu.ignoredSettings());
    assertEquals(ignored + 1, nodeMetric(GpuKnn.IGNORED_SETTINGS_METRIC));
  }

  /** A gauge of the node's metrics registry, as the metrics API shows it. */
  private static long nodeMetric(String name) throws Exception {
    SolrQueryResponse response = new SolrQueryResponse();
    try (SolrQueryRequest request = req("group", "node", "prefix", name)) {
      h.getCoreContainer().getMetricsHandler().handleRequestBody(request, response);
    }
    NamedList<?> node =
        (NamedList<?>) response.getValues()._get(List.of("metrics", "solr.node"), null);
    assertNotNull(response.getValues().toString(), node);
    return ((Number) node.get(name)).longValue();
  }

  @Test
  public void fallbackCountsAreInTheNodesMetrics() throws Exception {
    // a kNN search loads the GPU backend; without a GPU that is a fallback, counted once
    ParsersTestCase.ids("q", "{!embed f=vector model=minilm topK=3}how to bake bread", "fl", "id");
    long fellBack = 0;
    for (KnnFallback reason : KnnFallback.values()) {
      assertEquals(reason.metricName(), reason.count(), nodeMetric(reason.metricName()));
      fellBack += reason.count();
    }
    GpuKnn gpu = GpuKnn.node();
    if (gpu.backend() == null) {
      assertTrue("no GPU here (" + gpu.unavailableReason() + "): counted", fellBack > 0);
    }
  }

  @Test
  public void gpuServesTheKnnQueriesWhenPresent() throws Exception {
    GpuKnn gpu = GpuKnn.node();
    assumeTrue("GPU kNN tests skipped: " + gpu.unavailableReason(), gpu.backend() != null);
    long before = gpu.gpuSearches();
    assertEquals("7", ParsersTestCase.ids("q",
        "{!embed f=vector model=minilm topK=3}how to bake bread", "fl", "id").get(0));
    assertTrue("searched on the GPU", gpu.gpuSearches() > before);
  }
}
