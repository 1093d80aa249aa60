package dev.whetstone.codec;

import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.junit.After;

/** A failing GPU never fails a query: the search runs on the CPU and the GPU is switched off. */
public class TestGpuFallback extends LuceneTestCase {
  private final GpuKnnSettings saved = GpuKnn.settings();

  @After
  public void restore() {
    GpuKnn.configure(saved);
    GpuKnn.setBackend(null);
  }

  public void testCudaErrorFallsBackToHnsw() throws Exception {
    GpuKnn.configure(saved.withMinVectors(1));
    try (RandomVectorIndex index = new RandomVectorIndex(newDirectory(), newIndexWriterConfig(),
        random(), VectorSimilarityFunction.EUCLIDEAN, 500, 16)) {
      float[] target = index.randomVector();
      TopDocs hnsw = index.search(KnnSearchMode.HNSW, target, 10, null);
      GpuKnn.setBackend(new EmulatedGpuBackend(true));
      TopDocs afterError = index.search(KnnSearchMode.AUTO, target, 10, null);
      assertEquals(10, afterError.scoreDocs.length);
      KnnAssertions.assertSameTopK("HNSW answers after the CUDA error", hnsw, afterError);
      assertNull("GPU switched off", GpuKnn.backend());
      assertTrue(GpuKnn.unavailableReason(), GpuKnn.unavailableReason().contains("simulated CUDA error"));
    }
  }

  public void testWithoutGpuTheReasonIsKnownAndSearchesWork() throws Exception {
    GpuKnn.setBackend(null);
    assumeTrue("a GPU backend loaded here", GpuKnn.backend() == null);
    String reason = GpuKnn.unavailableReason();
    assertNotNull(reason);
    assertFalse(reason, reason.isBlank());
    try (RandomVectorIndex index = new RandomVectorIndex(newDirectory(), newIndexWriterConfig(),
        random(), VectorSimilarityFunction.COSINE, 300, 8)) {
      assertEquals(5, index.search(KnnSearchMode.AUTO, index.randomVector(), 5, null).scoreDocs.length);
    }
  }
}
