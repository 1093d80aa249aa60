package dev.whetstone.solr;

import dev.whetstone.codec.GpuKnn;
import dev.whetstone.codec.GpuKnnSettings;
import dev.whetstone.codec.KnnSearchMode;
import dev.whetstone.codec.WhetstoneKnnVectorsFormat;
import java.util.List;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.solr.SolrTestCaseJ4;
import org.apache.solr.search.SolrIndexSearcher;
import org.apache.solr.util.RefCounted;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * A core whose 384-d vector type opts in to {@link GpuKnnCodecFactory}: its segments carry the
 * Whetstone format, {@code {!knn}} and {@code {!embed}} answer as before, and the CPU exact path
 * agrees with the default one. On a machine with a GPU, the kNN searches run on it.
 */
public class GpuKnnCodecFactoryTest extends SolrTestCaseJ4 {
  private static GpuKnnSettings savedSettings;

  @BeforeClass
  public static void initGpuCore() throws Exception {
    savedSettings = GpuKnn.settings();
    GpuKnn.configure(savedSettings.withMinVectors(1)); // the 14 test documents go to the GPU too
    ParsersTestCase.initCoreWithDocs("solrconfig-gpuknn.xml", "schema-gpuknn.xml");
  }

  @AfterClass
  public static void restoreSettings() {
    GpuKnn.configure(savedSettings);
    System.clearProperty(WhetstoneParams.MODELS_DIR_PROPERTY);
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
  public void knnAndEmbedAnswerAsBefore() throws Exception {
    String text = "which medicine brings a fever down";
    List<String> embed = ParsersTestCase.ids("q", "{!embed f=vector model=minilm topK=5}" + text, "fl", "id");
    assertEquals(5, embed.size());
    assertEquals("1", embed.get(0));
    float[] vector = ModelRegistryComponent.model(h.getCore(), "minilm").encoder().encodeQuery(text);
    String knn = "{!knn f=vector topK=5}" + ParsersTestCase.vectorText(vector);
    assertEquals(embed, ParsersTestCase.ids("q", knn, "fl", "id"));

    // the exact CPU scan, the GPU's reference, gives the same top 5 (and a filtered top 3)
    KnnSearchMode.set(KnnSearchMode.EXACT);
    try {
      assertEquals(embed, ParsersTestCase.ids("q", knn, "fl", "id"));
      assertEquals(List.of("2"), ParsersTestCase.ids("q", "{!knn f=vector topK=3}"
          + ParsersTestCase.vectorText(vector), "fq", "category:health", "fq", "-id:1", "fl", "id"));
    } finally {
      KnnSearchMode.set(KnnSearchMode.AUTO);
    }
  }

  @Test
  public void gpuServesTheKnnQueriesWhenPresent() throws Exception {
    assumeTrue("GPU kNN tests skipped: " + GpuKnn.unavailableReason(), GpuKnn.backend() != null);
    long before = GpuKnn.gpuSearches();
    assertEquals("7", ParsersTestCase.ids("q",
        "{!embed f=vector model=minilm topK=3}how to bake bread", "fl", "id").get(0));
    assertTrue("searched on the GPU", GpuKnn.gpuSearches() > before);
  }
}
