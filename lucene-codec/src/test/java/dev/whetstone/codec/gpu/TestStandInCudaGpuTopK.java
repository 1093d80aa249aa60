package dev.whetstone.codec.gpu;

import dev.whetstone.codec.FallbackWarnings;
import dev.whetstone.codec.RandomVectorIndex;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.tests.util.TestRuleLimitSysouts;
import org.junit.After;

/**
 * The CUDA backend's FFM code (driver, cuBLAS and NVRTC calls, pinned staging, streams, the
 * kernel's arguments, filters and live-docs slots, batching, fp16 vectors and queries into
 * cuBLAS GemmEx) against a CPU stand-in for the three
 * libraries, built here with gcc from {@code cuda-standin.c}; its NVRTC runs nvcc. The stand-in is
 * strict where a GPU is undefined or lenient: copies must be from page-locked memory and inside
 * allocations, queued work runs only when its stream is synchronized (a result read too early is
 * stale, a staging buffer refilled too early corrupts the copy, a buffer freed with work queued
 * is refused), and reading what another stream has yet to write is a sticky error. Files next to
 * the library switch failures on: a refused cubin, an allocation limit (out of memory), a sticky
 * error; another records the shapes of its GEMMs and kernel launches. Skipped without JDK 22+, gcc
 * or nvcc.
 *
 * <p>Unverified without a device: real asynchrony and timing (the stand-in never reports a
 * speed), cuBLAS's and the kernel's own numerics (the stand-in reimplements both), and that the
 * driver loads NVRTC's cubin.
 */
// each node a test opens logs its device, and each sticky-error close its failed frees
@TestRuleLimitSysouts.Limit(bytes = 32 << 10, hardLimit = 256 << 10)
public class TestStandInCudaGpuTopK extends GpuTopKTestCase {
  private static final int MAX_BATCH = 32;
  /**
   * Less than one kernel block's dot products (16 KB per query): a segment over 4096 vectors is
   * scanned in tiles of one block, and a batch of more than one query runs in passes of one (a
   * query's block candidates and filter take more than 1 KB).
   */
  private static final long ONE_QUERY_SCORES_BYTES = 1 << 10;
  /**
   * Room for the scratch of about nine queries at k = 100 over two blocks with a filter (3.5 KB
   * each), so a pass holds several queries, but not for one block's dot products of that many:
   * each pass still scans in tiles of one block.
   */
  private static final long SEVERAL_QUERIES_SCORES_BYTES = 32 << 10;
  /** Documents whose largest segment, two thirds, is over one kernel block (4096 vectors). */
  private static final int TWO_BLOCK_SEGMENT_DOCS = 7000;
  /** How long a batch's first query waits: concurrent queries meet in batches of several. */
  private static final long BATCH_WINDOW_NANOS = TimeUnit.MILLISECONDS.toNanos(50);
  private static Path standIn;
  /** The settings the last node was opened with. */
  private GpuKnnSettings installedSettings;

  @Override
  protected GpuKnn newNode() {
    int feature = Runtime.version().feature();
    assumeTrue("JDK " + feature + " cannot run the FFM backend (needs 22+)", feature >= 22);
    String gcc = CudaToolkit.gcc();
    String nvcc = CudaToolkit.nvcc();
    assumeTrue("gcc not found: the CUDA stand-in cannot be built", gcc != null);
    assumeTrue("nvcc not found: the stand-in's NVRTC runs it", nvcc != null);
    standIn(gcc, nvcc);
    return install(0, ONE_QUERY_SCORES_BYTES, 0);
  }

  /**
   * A node on the stand-in with these settings (a budget of 0: the default), and {@link #node}
   * from now on: the indexes made after this search on it.
   */
  private GpuKnn install(long memoryBudgetBytes, long scoresBytes, long batchWindowNanos) {
    installedSettings = GpuKnnSettings.DEFAULTS.withMemoryBudgetBytes(memoryBudgetBytes).withMinVectors(1)
        .withMaxBatch(MAX_BATCH).withBatchWindowNanos(batchWindowNanos).withScoresBytes(scoresBytes)
        .withLibraryPath(standIn.toString());
    return reinstall();
  }

  /** A node on the stand-in with the settings last installed, its backend opened now. */
  private GpuKnn reinstall() {
    node = GpuKnn.withSettings(installedSettings);
    assertNotNull("stand-in backend: " + node.unavailableReason(), node.backend());
    assertTrue(node.backend().device(), node.backend().device().contains("CPU stand-in"));
    return node;
  }

  @After
  public void noCudaErrorSwitchedTheGpuOff() {
    if (node != null) {
      assertNotNull("a CUDA error: " + node.unavailableReason(), node.backend());
    }
  }

  public void testTheKernelIsACubinForTheDevice() {
    assertTrue(node.backend().device(), node.backend().device().contains("kernel cubin sm_90"));
  }

  public void testACubinTheDriverRefusesFallsBackToPtx() throws IOException {
    Path refuse = standIn.resolve("refuse-cubin");
    Files.writeString(refuse, "");
    try {
      reinstall();
      assertTrue(node.backend().device(),
          node.backend().device().contains("kernel PTX compute_90"));
    } finally {
      Files.delete(refuse);
    }
  }

  /**
   * Passes of several queries (GEMMs of more than one query column, kernel launches of more than
   * one grid row), each scanning the largest segment in tiles, give each query its exact top k.
   * The stand-in's record of its launches shows those shapes ran.
   */
  public void testSeveralQueriesPerPassInTilesGetTheirOwnResults() throws Exception {
    install(0, SEVERAL_QUERIES_SCORES_BYTES, BATCH_WINDOW_NANOS);
    Path record = standIn.resolve("launches");
    Files.writeString(record, "");
    List<String> launches;
    // the largest segment (2/3) is two kernel blocks
    try (RandomVectorIndex index = threeSegments(TWO_BLOCK_SEGMENT_DOCS, 16)) {
      checkConcurrentQueries(index);
    } finally {
      launches = Files.readAllLines(record);
      Files.delete(record);
    }
    int gemmColumns = 0;
    boolean severalRowsInALaterTile = false;
    for (String launch : launches) {
      String[] shape = launch.split(" ");
      if (shape[0].equals("gemm")) {
        gemmColumns = Math.max(gemmColumns, Integer.parseInt(shape[1]));
      } else {
        severalRowsInALaterTile |= Integer.parseInt(shape[1]) > 1 && Integer.parseInt(shape[2]) > 0;
      }
    }
    assertTrue("a GEMM of several queries: " + gemmColumns, gemmColumns > 1);
    assertTrue("a launch of several rows past the first tile", severalRowsInALaterTile);
  }

  public void testOutOfMemoryAtUploadPutsOnlyThatSegmentOnTheCpu() throws Exception {
    try (RandomVectorIndex index = threeSegments(6000, 32)) {
      List<Integer> sizes = new ArrayList<>();
      for (LeafReaderContext leaf : index.reader.leaves()) {
        sizes.add(leaf.reader().getFloatVectorValues(RandomVectorIndex.FIELD).size());
      }
      sizes.sort(Collections.reverseOrder());
      // the fp16 vectors, the largest allocation an upload makes
      long largestBytes = (long) sizes.get(0) * 32 * Short.BYTES;
      assertTrue(sizes.toString(), (long) sizes.get(1) * 32 * Short.BYTES < largestBytes - 1);
      Path limit = standIn.resolve("alloc-limit");
      Files.writeString(limit, Long.toString(largestBytes - 1));
      try (FallbackWarnings warnings = new FallbackWarnings()) {
        long before = node.gpuSearches();
        float[] target = index.randomVector();
        assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
        assertEquals("the other segments on the GPU", sizes.size() - 1,
            node.gpuSearches() - before);
        assertEquals(1, warnings.counted(KnnFallback.OUT_OF_MEMORY));
        assertEquals(1, warnings.lines(KnnFallback.OUT_OF_MEMORY).size());
      } finally {
        Files.delete(limit);
      }
    }
  }

  public void testMemoryBudgetKeepsTheLargestSegmentOnTheCpu() throws Exception {
    int largest = 0;
    try (RandomVectorIndex index = threeSegments(6000, 32)) {
      for (LeafReaderContext leaf : index.reader.leaves()) {
        largest = Math.max(largest,
            leaf.reader().getFloatVectorValues(RandomVectorIndex.FIELD).size());
      }
    }
    // its fp16 vectors alone are over the budget; the two others fit together. The segments'
    // sizes depend on the document count alone, so the same index again has the same ones.
    install((long) largest * 32 * Short.BYTES, ONE_QUERY_SCORES_BYTES, 0);
    try (RandomVectorIndex index = threeSegments(6000, 32)) {
      float[] target = index.randomVector();
      try (FallbackWarnings warnings = new FallbackWarnings()) {
        for (int i = 0; i < 2; i++) {
          long before = node.gpuSearches();
          assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
          assertEquals("the other segments on the GPU", index.reader.leaves().size() - 1,
              node.gpuSearches() - before);
        }
        assertEquals("once, for the segment field", 1, warnings.counted(KnnFallback.MEMORY_BUDGET));
        List<String> lines = warnings.lines(KnnFallback.MEMORY_BUDGET);
        assertEquals(lines.toString(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("GPU memory budget"));
      }
    }
  }

  public void testClosingAReaderAfterAStickyErrorDoesNotThrow() throws Exception {
    RandomVectorIndex index = threeSegments(2000, 16);
    index.search(KnnSearchMode.AUTO, index.randomVector(), 5, null);
    Path sticky = standIn.resolve("sticky");
    Files.writeString(sticky, "1");
    try {
      // every cuMemFree fails now; the writer's pooled segment readers hold the GPU copies
      index.close();
    } finally {
      Files.delete(sticky);
    }
  }

  public void testVectorsBeyondFp16RangeStayOnTheCpu() throws Exception {
    IndexWriterConfig config = RandomVectorIndex.onNode(newIndexWriterConfig(), node);
    try (Directory directory = newDirectory();
        IndexWriter writer = new IndexWriter(directory, config)) {
      RandomVectorIndex.writeBeyondFp16Segment(writer);
      try (DirectoryReader reader = DirectoryReader.open(writer);
          FallbackWarnings warnings = new FallbackWarnings()) {
        long before = node.gpuSearches();
        TopDocs top = new IndexSearcher(reader).search(
            new KnnFloatVectorQuery(RandomVectorIndex.FIELD, new float[] {1, 0}, 3), 3);
        assertEquals("the 70000 vector first", 70001f, top.scoreDocs[0].score, 0);
        assertEquals("searched on the CPU", before, node.gpuSearches());
        assertEquals(1, warnings.counted(KnnFallback.VECTORS_BEYOND_FP16));
        List<String> lines = warnings.lines(KnnFallback.VECTORS_BEYOND_FP16);
        assertEquals(lines.toString(), 1, lines.size());
        assertTrue(lines.get(0), lines.get(0).contains("vector 7 (document 7)"));
      }
    }
  }

  public void testAQueryBeyondFp16RangeRunsOnTheCpu() throws Exception {
    try (RandomVectorIndex index = threeSegments(600, 8)) {
      float[] target = index.randomVector();
      target[0] = 1e5f;
      long before = node.gpuSearches();
      try (FallbackWarnings warnings = new FallbackWarnings()) {
        assertEquals(5, index.search(KnnSearchMode.AUTO, target, 5, null).scoreDocs.length);
        assertEquals("each segment", index.reader.leaves().size(),
            warnings.counted(KnnFallback.QUERY_BEYOND_FP16));
      }
      assertEquals("no segment searched on the GPU", before, node.gpuSearches());
      target[0] = 0.5f;
      assertEquals(5, index.search(KnnSearchMode.AUTO, target, 5, null).scoreDocs.length);
      assertTrue("the same segments on the GPU for a query in range",
          node.gpuSearches() > before);
    }
  }

  private RandomVectorIndex threeSegments(int docs, int dimension) throws IOException {
    IndexWriterConfig config = newIndexWriterConfig().setRAMBufferSizeMB(64)
        .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
        .setMergePolicy(NoMergePolicy.INSTANCE);
    return new RandomVectorIndex(node, newDirectory(), config, random(),
        VectorSimilarityFunction.EUCLIDEAN, docs, dimension);
  }

  /**
   * Built once per JVM (a library stays loaded); {@code libcublas.so} and {@code libnvrtc.so} are
   * links to the same file, so the three share its allocations and streams.
   */
  private static synchronized Path standIn(String gcc, String nvcc) {
    if (standIn == null) {
      try {
        Path dir = Files.createTempDirectory("cuda-standin");
        Path source = dir.resolve("cuda-standin.c");
        try (InputStream in = TestStandInCudaGpuTopK.class.getResourceAsStream("cuda-standin.c")) {
          Files.copy(in, source);
        }
        Path library = dir.resolve("libcuda.so");
        List<String> command = List.of(gcc, "-O2", "-Werror=implicit-function-declaration",
            "-shared", "-fPIC", "-o", library.toString(),
            source.toString(), "-lpthread", "-lm", "-ldl");
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue("gcc timed out", process.waitFor(120, TimeUnit.SECONDS));
        assertEquals(String.join(" ", command) + ":\n" + log, 0, process.exitValue());
        Files.createSymbolicLink(dir.resolve("libcublas.so"), library.getFileName());
        Files.createSymbolicLink(dir.resolve("libnvrtc.so"), library.getFileName());
        Files.writeString(dir.resolve("nvcc"), nvcc + "\n");
        standIn = dir;
      } catch (IOException | InterruptedException e) {
        throw new AssertionError("building the CUDA stand-in", e);
      }
    }
    return standIn;
  }
}
