package dev.whetstone.codec.gpu;

import dev.whetstone.codec.FallbackWarnings;
import dev.whetstone.codec.KnnAssertions;
import dev.whetstone.codec.RandomVectorIndex;
import java.io.IOException;
import java.util.List;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * A failing GPU never fails a query: the search runs on the CPU. A CUDA error switches the process
 * to the CPU; an out-of-memory only its segment; a close racing a search, nothing. Closing a
 * reader never fails for the GPU. Every fallback is counted by its {@link KnnFallback} and logged
 * at WARN, a segment's once however often it happens.
 *
 * <p>Against {@link EmulatedGpuBackend}: what stays unverified without a device is that the CUDA
 * backend raises these failures as the emulator does (an out-of-memory as {@link
 * GpuOutOfMemoryException}, a closed index as {@link AlreadyClosedException}, a close that logs
 * instead of throwing; see {@code dev.whetstone.codec.gpu.TestQuietRelease}).
 */
public class TestGpuFallback extends LuceneTestCase {

  public void testCudaErrorFallsBackToHnsw() throws Exception {
    GpuKnn node = emulated(EmulatedGpuBackend.failingSearches());
    try (RandomVectorIndex index = newIndex(node, 500)) {
      float[] target = index.randomVector();
      TopDocs hnsw = index.search(KnnSearchMode.HNSW, target, 10, null);
      try (FallbackWarnings warnings = new FallbackWarnings()) {
        TopDocs afterError = index.search(KnnSearchMode.AUTO, target, 10, null);
        assertEquals(10, afterError.scoreDocs.length);
        KnnAssertions.assertSameTopK("HNSW answers after the CUDA error", hnsw, afterError);
        assertNull("GPU switched off", node.backend());
        assertTrue(node.unavailableReason(),
            node.unavailableReason().contains("simulated CUDA error"));
        index.search(KnnSearchMode.AUTO, target, 10, null);
        assertEquals(1, warnings.counted(KnnFallback.DEVICE_ERROR));
        assertEquals(1, warnings.lines(KnnFallback.DEVICE_ERROR).size());
      }
    }
  }

  public void testSearchRacingCloseIsNoCudaFailure() throws Exception {
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    backend.searchFailure = size -> new AlreadyClosedException("GPU vectors already released");
    GpuKnn node = emulated(backend);
    try (RandomVectorIndex index = newIndex(node, 500)) {
      float[] target = index.randomVector();
      TopDocs hnsw = index.search(KnnSearchMode.HNSW, target, 10, null);
      try (FallbackWarnings warnings = new FallbackWarnings()) {
        KnnAssertions.assertSameTopK("the CPU path answers", hnsw,
            index.search(KnnSearchMode.AUTO, target, 10, null));
        index.search(KnnSearchMode.AUTO, target, 10, null);
        assertSame("the GPU stays on", backend, node.backend());
        assertOncePerSegment(warnings, KnnFallback.RELEASED_DURING_SEARCH, index, 2);
      }
    }
  }

  public void testOutOfMemoryMovesOnlyItsSegmentToTheCpu() throws Exception {
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    GpuKnn node = emulated(backend);
    try (RandomVectorIndex index = newIndex(node, 3000)) {
      int largest = largestSegmentVectors(index);
      // growing the search buffers for the largest segment fails; the others have room
      backend.searchFailure = size -> size >= largest
          ? new GpuOutOfMemoryException("simulated cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY", null)
          : null;
      float[] target = index.randomVector();
      FallbackWarnings warnings = new FallbackWarnings();
      try (warnings) {
        assertEquals("answered", 10,
            index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
      }
      assertEquals(1, warnings.counted(KnnFallback.OUT_OF_MEMORY));
      assertEquals(1, warnings.lines(KnnFallback.OUT_OF_MEMORY).size());
      assertSame("the GPU stays on", backend, node.backend());
      List<EmulatedGpuBackend.Index> failed = backend.indexesOfAtLeast(largest);
      assertEquals(1, failed.size());
      assertTrue("its GPU copy is freed", failed.get(0).closed);

      long gpuBefore = node.gpuSearches();
      assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
      assertEquals("not tried on the GPU again", 1, failed.get(0).searches.get());
      assertTrue("the other segments search on the GPU", node.gpuSearches() > gpuBefore);
    }
  }

  public void testOutOfMemoryAtUploadKeepsTheOtherSegmentsOnTheGpu() throws Exception {
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    GpuKnn node = emulated(backend);
    try (RandomVectorIndex index = newIndex(node, 3000)) {
      int largest = largestSegmentVectors(index);
      backend.uploadFailure = size -> size >= largest
          ? new GpuOutOfMemoryException("simulated cuMemAlloc: CUDA_ERROR_OUT_OF_MEMORY", null)
          : null;
      float[] target = index.randomVector();
      long gpuBefore = node.gpuSearches();
      try (FallbackWarnings warnings = new FallbackWarnings()) {
        assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
        index.search(KnnSearchMode.AUTO, target, 10, null);
        assertEquals("once, for the segment field", 1, warnings.counted(KnnFallback.OUT_OF_MEMORY));
        assertEquals(1, warnings.lines(KnnFallback.OUT_OF_MEMORY).size());
      }
      assertSame("the GPU stays on", backend, node.backend());
      assertTrue(backend.indexesOfAtLeast(largest).isEmpty());
      assertTrue("the other segments search on the GPU", node.gpuSearches() > gpuBefore);
    }
  }

  public void testMemoryBudgetKeepsTheSegmentsBeyondItOnTheCpu() throws Exception {
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    GpuKnn node = emulated(backend);
    try (RandomVectorIndex index = newIndex(node, 3000)) {
      // room for the smaller segments, not the largest (nothing is uploaded before a search)
      backend.vectorBudget = largestSegmentVectors(index) - 1;
      float[] target = index.randomVector();
      long gpuBefore = node.gpuSearches();
      try (FallbackWarnings warnings = new FallbackWarnings()) {
        for (int i = 0; i < 2; i++) {
          assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
        }
        assertEquals("once, for the segment field", 1, warnings.counted(KnnFallback.MEMORY_BUDGET));
        List<String> lines = warnings.lines(KnnFallback.MEMORY_BUDGET);
        assertEquals(lines.toString(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("field " + RandomVectorIndex.FIELD));
      }
      assertTrue("the other segments search on the GPU", node.gpuSearches() > gpuBefore);
    }
  }

  public void testVectorsBeyondFp16RangeKeepTheirSegmentOnTheCpu() throws Exception {
    IndexWriterConfig config =
        RandomVectorIndex.onNode(newIndexWriterConfig(), emulated(new EmulatedGpuBackend()));
    try (Directory directory = newDirectory();
        IndexWriter writer = new IndexWriter(directory, config)) {
      RandomVectorIndex.writeBeyondFp16Segment(writer);
      try (DirectoryReader reader = DirectoryReader.open(writer);
          FallbackWarnings warnings = new FallbackWarnings()) {
        IndexSearcher searcher = new IndexSearcher(reader);
        for (int i = 0; i < 2; i++) {
          TopDocs top = searcher.search(
              new KnnFloatVectorQuery(RandomVectorIndex.FIELD, new float[] {1, 0}, 3), 3);
          assertEquals("the 70000 vector first", 70001f, top.scoreDocs[0].score, 0);
        }
        assertEquals("once, for the segment field", 1,
            warnings.counted(KnnFallback.VECTORS_BEYOND_FP16));
        assertEquals(1, warnings.lines(KnnFallback.VECTORS_BEYOND_FP16).size());
      }
    }
  }

  public void testAQueryBeyondFp16RangeIsCountedPerSearchAndLoggedPerSegment() throws Exception {
    try (RandomVectorIndex index = newIndex(emulated(new EmulatedGpuBackend()), 600);
        FallbackWarnings warnings = new FallbackWarnings()) {
      float[] target = index.randomVector();
      target[0] = 1e5f;
      for (int i = 0; i < 2; i++) {
        assertEquals(5, index.search(KnnSearchMode.AUTO, target, 5, null).scoreDocs.length);
      }
      assertOncePerSegment(warnings, KnnFallback.QUERY_BEYOND_FP16, index, 2);
    }
  }

  public void testKBeyondTheGpusCandidatesIsCountedPerSearchAndLoggedPerSegment() throws Exception {
    GpuKnn node = emulated(new EmulatedGpuBackend());
    int k = GpuVectorIndex.MAX_CANDIDATES - GpuVectorIndex.RESCORE_MARGIN + 1;
    try (RandomVectorIndex index = newIndex(node, 3000);
        FallbackWarnings warnings = new FallbackWarnings()) {
      float[] target = index.randomVector();
      long gpuBefore = node.gpuSearches();
      for (int i = 0; i < 2; i++) {
        assertEquals(k, index.search(KnnSearchMode.AUTO, target, k, null).scoreDocs.length);
      }
      assertOncePerSegment(warnings, KnnFallback.K_TOO_LARGE, index, 2);
      assertEquals("none on the GPU", gpuBefore, node.gpuSearches());
      index.search(KnnSearchMode.AUTO, target, k - 1, null);
      assertTrue("one less is served by the GPU", node.gpuSearches() > gpuBefore);
    }
  }


  public void testReaderCloseDoesNotFailWhenFreeingGpuMemoryFails() throws Exception {
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    RandomVectorIndex index = newIndex(emulated(backend), 500);
    index.search(KnnSearchMode.AUTO, index.randomVector(), 5, null);
    assertFalse(backend.indexes.isEmpty());
    backend.failClose = true;
    index.close(); // reader, writer (its pooled segment readers) and directory: must not throw
    for (EmulatedGpuBackend.Index gpu : backend.indexes) {
      assertTrue(gpu.closed);
    }
  }

  public void testWithoutGpuTheReasonIsKnownAndSearchesWork() throws Exception {
    GpuKnn node = GpuKnn.withSettings(GpuKnnSettings.DEFAULTS);
    KnnFallback expected = Runtime.version().feature() < 22
        ? KnnFallback.NO_FFM
        : KnnFallback.BACKEND_UNAVAILABLE;
    try (FallbackWarnings warnings = new FallbackWarnings()) {
      assumeTrue("a GPU backend loaded here", node.backend() == null);
      node.backend();
      assertEquals(1, warnings.counted(expected));
      List<String> lines = warnings.lines(expected);
      assertEquals("one line: " + lines, 1, lines.size());
    }
    String reason = node.unavailableReason();
    assertNotNull(reason);
    assertFalse(reason, reason.isBlank());
    try (RandomVectorIndex index = new RandomVectorIndex(node, newDirectory(),
        newIndexWriterConfig(), random(), VectorSimilarityFunction.COSINE, 300, 8)) {
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

  /** {@code reason} counted for every search of every segment, logged once per segment. */
  private static void assertOncePerSegment(FallbackWarnings warnings, KnnFallback reason,
      RandomVectorIndex index, int searches) {
    int segments = index.reader.leaves().size();
    assertEquals(searches * segments, warnings.counted(reason));
    List<String> lines = warnings.lines(reason);
    assertEquals(lines.toString(), segments, lines.size());
  }

  /** Three segments of 2/3, 1/6 and 1/6 of the documents (see {@link RandomVectorIndex}). */
  private RandomVectorIndex newIndex(GpuKnn node, int docs) throws IOException {
    IndexWriterConfig config = newIndexWriterConfig().setRAMBufferSizeMB(64)
        .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
        .setMergePolicy(NoMergePolicy.INSTANCE);
    return new RandomVectorIndex(node, newDirectory(), config, random(),
        VectorSimilarityFunction.EUCLIDEAN, docs, 16);
  }

  /** A node, with the default settings, on {@code backend}. */
  private static GpuKnn emulated(EmulatedGpuBackend backend) {
    return GpuKnn.withBackend(GpuKnnSettings.DEFAULTS, backend);
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
