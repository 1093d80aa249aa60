package dev.whetstone.codec;

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
import org.junit.After;

/**
 * A field's settings go from the format instance that writes it, through the segment's field
 * info, to the reader, which searches by them; the node's settings apply where a field has none.
 */
public class TestKnnFieldSettings extends LuceneTestCase {
  private static final KnnFieldSettings HNSW_MIN_7 = new KnnFieldSettings(KnnSearchMode.HNSW, 7);

  private final GpuKnnSettings saved = GpuKnn.settings();

  @After
  public void restore() {
    GpuKnn.configure(saved);
    GpuKnn.setBackend(null);
    KnnSearchMode.set(KnnSearchMode.AUTO);
  }

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

  public void testTheFieldsSearchModeOverridesTheNodes() throws IOException {
    GpuKnn.configure(saved.withMinVectors(1));
    GpuKnn.setBackend(new EmulatedGpuBackend());
    try (Directory dir = newDirectory()) {
      write(dir, new KnnFieldSettings(KnnSearchMode.HNSW, KnnFieldSettings.NODE_DEFAULT), 50);
      assertFalse("field says hnsw", searchedOnGpu(dir));
    }
    try (Directory dir = newDirectory()) {
      write(dir, new KnnFieldSettings(KnnSearchMode.AUTO, KnnFieldSettings.NODE_DEFAULT), 50);
      KnnSearchMode.set(KnnSearchMode.HNSW);
      assertTrue("field says auto, node hnsw", searchedOnGpu(dir));
    }
    try (Directory dir = newDirectory()) {
      write(dir, KnnFieldSettings.NODE_DEFAULTS, 50);
      KnnSearchMode.set(KnnSearchMode.HNSW);
      assertFalse("field says nothing, node hnsw", searchedOnGpu(dir));
    }
  }

  public void testTheFieldsMinimumOverridesTheNodes() throws IOException {
    GpuKnn.setBackend(new EmulatedGpuBackend());
    try (Directory dir = newDirectory()) {
      write(dir, new KnnFieldSettings(null, 1000), 50);
      GpuKnn.configure(saved.withMinVectors(1));
      assertFalse("50 vectors, field minimum 1000", searchedOnGpu(dir));
    }
    try (Directory dir = newDirectory()) {
      write(dir, new KnnFieldSettings(null, 10), 50);
      GpuKnn.configure(saved.withMinVectors(1000));
      assertTrue("50 vectors, field minimum 10, node 1000", searchedOnGpu(dir));
    }
  }

  public void testUnknownModeIsNamedInTheError() {
    IllegalArgumentException e =
        expectThrows(IllegalArgumentException.class, () -> KnnSearchMode.parse("fast"));
    assertTrue(e.getMessage(), e.getMessage().contains("\"fast\""));
    assertEquals(KnnSearchMode.EXACT, KnnSearchMode.parse(" Exact "));
  }

  private void write(Directory dir, KnnFieldSettings settings, int docs) throws IOException {
    try (IndexWriter writer = new IndexWriter(dir, config(settings))) {
      for (int i = 0; i < docs; i++) {
        Document doc = new Document();
        float[] v = {random().nextFloat(), random().nextFloat(), random().nextFloat()};
        doc.add(new KnnFloatVectorField("v", v, VectorSimilarityFunction.EUCLIDEAN));
        writer.addDocument(doc);
      }
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

  private static boolean searchedOnGpu(Directory dir) throws IOException {
    long before = GpuKnn.gpuSearches();
    try (DirectoryReader reader = DirectoryReader.open(dir)) {
      new IndexSearcher(reader).search(new KnnFloatVectorQuery("v", new float[] {1, 0, 0}, 3), 3);
    }
    return GpuKnn.gpuSearches() > before;
  }
}
