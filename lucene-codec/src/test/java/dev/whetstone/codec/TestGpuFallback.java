package dev.whetstone.codec;

import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.junit.After;

/**
 * A failing GPU never fails a query: the search runs on the CPU. A CUDA error switches the process
 * to the CPU; an out-of-memory only its segment; a close racing a search, nothing. Closing a
 * reader never fails for the GPU.
 *
 * <p>Against {@link EmulatedGpuBackend}: what stays unverified without a device is that the CUDA
 * backend raises these failures as the emulator does (an out-of-memory as {@link
 * GpuOutOfMemoryException}, a closed index as {@link AlreadyClosedException}, a close that logs
 * instead of throwing; see {@code dev.whetstone.codec.gpu.TestQuietRelease}).
 */
public class TestGpuFallback extends LuceneTestCase {
  private final GpuKnnSettings saved = GpuKnn.settings();

  @After
  public void restore() {
    GpuKnn.configure(saved);
    GpuKnn.setBackend(null);
  }

  public void testCudaErrorFallsBackToHnsw() throws Exception {
    GpuKnn.configure(saved.withMinVectors(1));
    try (RandomVectorIndex index = newIndex(500)) {
      float[] target = index.randomVector();
      TopDocs hnsw = index.search(KnnSearchMode.HNSW, target, 10, null);
      GpuKnn.setBackend(EmulatedGpuBackend.failingSearches());
      TopDocs afterError = index.search(KnnSearchMode.AUTO, target, 10, null);
      assertEquals(10, afterError.scoreDocs.length);
      KnnAssertions.assertSameTopK("HNSW answers after the CUDA error", hnsw, afterError);
      assertNull("GPU switched off", GpuKnn.backend());
      assertTrue(GpuKnn.unavailableReason(), GpuKnn.unavailableReason().contains("simulated CUDA error"));
    }
  }

  public void testSearchRacingCloseIsNoCudaFailure() throws Exception {
    GpuKnn.configure(saved.withMinVectors(1));
    try (RandomVectorIndex index = newIndex(500)) {
      float[] target = index.randomVector();
      TopDocs hnsw = index.search(KnnSearchMode.HNSW, target, 10, null);
      EmulatedGpuBackend backend = new EmulatedGpuBackend();
      backend.searchFailure = size -> new AlreadyClosedException("GPU vectors already released");
      GpuKnn.setBackend(backend);
      KnnAssertions.assertSameTopK("the CPU path answers", hnsw,
          index.search(KnnSearchMode.AUTO, target, 10, null));
      assertSame("the GPU stays on", backend, GpuKnn.backend());
    }
  }

  public void testOutOfMemoryMovesOnlyItsSegmentToTheCpu() throws Exception {
    GpuKnn.configure(saved.withMinVectors(1));
    try (RandomVectorIndex index = newIndex(3000)) {
      int largest = largestSegmentVectors(index);
      EmulatedGpuBackend backend = new EmulatedGpuBackend();
      // growing the search buffers for the largest segment fails; the others have room
      backend.searchFailure = size -> size >= largest
          ? new GpuOutOfMemoryException("simulated cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY", null)
          : null;
      GpuKnn.setBackend(backend);
      float[] target = index.randomVector();
      assertEquals("answered", 10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
      assertSame("the GPU stays on", backend, GpuKnn.backend());
      List<EmulatedGpuBackend.Index> failed = backend.indexesOfAtLeast(largest);
      assertEquals(1, failed.size());
      assertTrue("its GPU copy is freed", failed.get(0).closed);

      long gpuBefore = GpuKnn.gpuSearches();
      assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
      assertEquals("not tried on the GPU again", 1, failed.get(0).searches.get());
      assertTrue("the other segments search on the GPU", GpuKnn.gpuSearches() > gpuBefore);
    }
  }

  public void testOutOfMemoryAtUploadKeepsTheOtherSegmentsOnTheGpu() throws Exception {
    GpuKnn.configure(saved.withMinVectors(1));
    try (RandomVectorIndex index = newIndex(3000)) {
      int largest = largestSegmentVectors(index);
      EmulatedGpuBackend backend = new EmulatedGpuBackend();
      backend.uploadFailure = size -> size >= largest
          ? new GpuOutOfMemoryException("simulated cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY", null)
          : null;
      GpuKnn.setBackend(backend);
      float[] target = index.randomVector();
      long gpuBefore = GpuKnn.gpuSearches();
      assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
      assertSame("the GPU stays on", backend, GpuKnn.backend());
      assertTrue(backend.indexesOfAtLeast(largest).isEmpty());
      assertTrue("the other segments search on the GPU", GpuKnn.gpuSearches() > gpuBefore);
    }
  }

  public void testReaderCloseDoesNotFailWhenFreeingGpuMemoryFails() throws Exception {
    GpuKnn.configure(saved.withMinVectors(1));
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    GpuKnn.setBackend(backend);
    RandomVectorIndex index = newIndex(500);
    index.search(KnnSearchMode.AUTO, index.randomVector(), 5, null);
    assertFalse(backend.indexes.isEmpty());
    backend.failClose = true;
    index.close(); // reader and directory: must not throw
    for (EmulatedGpuBackend.Index gpu : backend.indexes) {
      assertTrue(gpu.closed);
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

  public void testFailureKindsLookThroughTheCoalescersWrapping() {
    IOException wrapped = new IOException("batch failed",
        new GpuOutOfMemoryException("cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY", null));
    assertEquals(GpuFailure.SEGMENT_OUT_OF_MEMORY, GpuFailure.of(wrapped));
    assertEquals(GpuFailure.CLOSED, GpuFailure.of(new AlreadyClosedException("closed")));
    assertEquals(GpuFailure.DEVICE, GpuFailure.of(new IOException("CUDA_ERROR_ILLEGAL_ADDRESS")));
  }

  /** Three segments of 2/3, 1/6 and 1/6 of the documents (see {@link RandomVectorIndex}). */
  private RandomVectorIndex newIndex(int docs) throws IOException {
    IndexWriterConfig config = newIndexWriterConfig().setRAMBufferSizeMB(64)
        .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
        .setMergePolicy(NoMergePolicy.INSTANCE);
    return new RandomVectorIndex(newDirectory(), config, random(),
        VectorSimilarityFunction.EUCLIDEAN, docs, 16);
  }

  private static int largestSegmentVectors(RandomVectorIndex index) throws IOException {
    int largest = 0;
    for (var leaf : index.reader.leaves()) {
      largest = Math.max(largest,
          leaf.reader().getFloatVectorValues(RandomVectorIndex.FIELD).size());
    }
    return largest;
  }
}
