package dev.whetstone.codec;

import dev.whetstone.codec.gpu.GpuKnnSettings;
import dev.whetstone.codec.gpu.KnnSearchMode;
import dev.whetstone.codec.gpu.EmulatedGpuBackend;
import dev.whetstone.codec.gpu.GpuKnn;
import java.io.IOException;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * A field's settings go from the format instance that writes it, through the segment's field
 * info, to the reader, which searches by them; the node's settings apply where a field has none.
 */
public class TestKnnFieldSettings extends LuceneTestCase {
  private static final KnnFieldSettings HNSW_MIN_7 = new KnnFieldSettings(KnnSearchMode.HNSW, 7);

  public void testSettingsAreRecordedInEachSegmentAndSurviveAMerge() throws IOException {
    try (Directory dir = newDirectory()) {
      write(dir, HNSW_MIN_7, 20);
      assertEquals(HNSW_MIN_7, settingsIn(dir));
      write(dir, HNSW_MIN_7, 20);
      forceMerge(dir, HNSW_MIN_7);
      assertEquals("rewritten by the merge", HNSW_MIN_7, settingsIn(dir));
    }
  }

  public void testAMergeWritesTheCurrentSettingsNotTheOldSegmentsOnes() throws IOException {
    try (Directory dir = newDirectory()) {
      write(dir, HNSW_MIN_7, 20);
      write(dir, KnnFieldSettings.NODE_DEFAULTS, 20);
      forceMerge(dir, KnnFieldSettings.NODE_DEFAULTS);
      assertEquals(KnnFieldSettings.NODE_DEFAULTS, settingsIn(dir));
    }
  }

  public void testTheFieldsSearchModeOverridesTheNodes() {
    GpuKnnSettings hnswNode = GpuKnnSettings.DEFAULTS.withSearchMode(KnnSearchMode.HNSW);
    assertEquals("field says hnsw, node auto", KnnSearchMode.HNSW,
        new KnnFieldSettings(KnnSearchMode.HNSW, KnnFieldSettings.NODE_DEFAULT)
            .effectiveSearchMode(GpuKnnSettings.DEFAULTS));
    assertEquals("field says auto, node hnsw", KnnSearchMode.AUTO,
        new KnnFieldSettings(KnnSearchMode.AUTO, KnnFieldSettings.NODE_DEFAULT)
            .effectiveSearchMode(hnswNode));
    assertEquals("field says nothing, node hnsw", KnnSearchMode.HNSW,
        KnnFieldSettings.NODE_DEFAULTS.effectiveSearchMode(hnswNode));
  }

  public void testTheFieldsMinimumOverridesTheNodes() {
    assertEquals("field 1000, node 1", 1000, new KnnFieldSettings(null, 1000)
        .effectiveMinVectors(GpuKnnSettings.DEFAULTS.withMinVectors(1)));
    assertEquals("field 10, node 1000", 10, new KnnFieldSettings(null, 10)
        .effectiveMinVectors(GpuKnnSettings.DEFAULTS.withMinVectors(1000)));
    assertEquals("field says nothing, node 7", 7,
        KnnFieldSettings.NODE_DEFAULTS.effectiveMinVectors(GpuKnnSettings.DEFAULTS.withMinVectors(7)));
  }

  public void testTheReaderSearchesByTheFieldsMode() throws IOException {
    assertEquals(KnnSearchMode.AUTO, GpuKnnSettings.DEFAULTS.searchMode());
    assertFalse("field says hnsw",
        searchedOnGpu(new KnnFieldSettings(KnnSearchMode.HNSW, 1), GpuKnnSettings.DEFAULTS));
    assertTrue("field says nothing, node auto",
        searchedOnGpu(new KnnFieldSettings(null, 1), GpuKnnSettings.DEFAULTS));
    assertFalse("field says nothing, node hnsw", searchedOnGpu(new KnnFieldSettings(null, 1),
        GpuKnnSettings.DEFAULTS.withSearchMode(KnnSearchMode.HNSW)));
  }

  public void testTheReaderSearchesByTheFieldsMinimum() throws IOException {
    GpuKnnSettings node = GpuKnnSettings.DEFAULTS;
    assertFalse("50 vectors, field minimum 1000",
        searchedOnGpu(new KnnFieldSettings(null, 1000), node));
    assertTrue("50 vectors, field minimum 10", searchedOnGpu(new KnnFieldSettings(null, 10), node));
    assertFalse("50 vectors, the node's minimum of 51",
        searchedOnGpu(KnnFieldSettings.NODE_DEFAULTS, node.withMinVectors(51)));
    assertTrue("50 vectors, the node's minimum of 50",
        searchedOnGpu(KnnFieldSettings.NODE_DEFAULTS, node.withMinVectors(50)));
  }

  public void testUnknownModeIsNamedInTheError() {
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> KnnSearchMode.parse("fast"));
    assertTrue(e.getMessage(), e.getMessage().contains("\"fast\""));
    assertEquals(KnnSearchMode.EXACT, KnnSearchMode.parse(" Exact "));
  }

  private void write(Directory dir, KnnFieldSettings settings, int docs) throws IOException {
    try (IndexWriter writer = new IndexWriter(dir, config(settings))) {
      addVectors(writer, docs);
    }
  }

  private void addVectors(IndexWriter writer, int docs) throws IOException {
    for (int i = 0; i < docs; i++) {
      Document doc = new Document();
      float[] v = {random().nextFloat(), random().nextFloat(), random().nextFloat()};
      doc.add(new KnnFloatVectorField("v", v, VectorSimilarityFunction.EUCLIDEAN));
      writer.addDocument(doc);
    }
  }

  private void forceMerge(Directory dir, KnnFieldSettings settings) throws IOException {
    try (IndexWriter writer = new IndexWriter(dir, config(settings))) {
      writer.forceMerge(1);
    }
  }

  private IndexWriterConfig config(KnnFieldSettings settings) {
    return newIndexWriterConfig().setCodec(TestWhetstoneKnnVectorsFormat.codecWith(
        new WhetstoneKnnVectorsFormat(16, 100, settings)));
  }

  /** The settings recorded in the one segment, or all segments if they agree. */
  private static KnnFieldSettings settingsIn(Directory dir) throws IOException {
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      KnnFieldSettings found = null;
      for (LeafReaderContext leaf : reader.leaves()) {
        KnnFieldSettings settings =
            KnnFieldSettings.readFrom(leaf.reader().getFieldInfos().fieldInfo("v"));
        assertTrue("segments disagree", found == null || found.equals(settings));
        found = settings;
      }
      return found;
    }
  }

  /**
   * Whether a search of one segment of 50 vectors written with {@code field} ran on the GPU of a
   * node with {@code node} settings (and an emulated backend).
   */
  private boolean searchedOnGpu(KnnFieldSettings field, GpuKnnSettings node) throws IOException {
    GpuKnn gpu = GpuKnn.withBackend(node, new EmulatedGpuBackend());
    IndexWriterConfig config = newIndexWriterConfig()
        .setCodec(new NodeTestCodec(new WhetstoneKnnVectorsFormat(gpu, 16, 100, field)));
    try (Directory dir = newDirectory(); IndexWriter writer = new IndexWriter(dir, config)) {
      addVectors(writer, 50);
      writer.forceMerge(1); // one segment of 50, however the random config flushed
      try (DirectoryReader reader = DirectoryReader.open(writer)) {
        new IndexSearcher(reader).search(new KnnFloatVectorQuery("v", new float[] {1, 0, 0}, 3), 3);
      }
    }
    return gpu.gpuSearches() > 0;
  }
}
