package dev.whetstone.codec;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.NoMergePolicy;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.junit.After;

/**
 * The CUDA backend's FFM code (driver, cuBLAS and NVRTC calls, pinned staging, streams, the
 * kernel's arguments, filters and live-docs slots, batching) against a CPU stand-in for the three
 * libraries, built here with gcc from {@code cuda-standin.c}; its NVRTC runs nvcc. The stand-in is
 * strict where a GPU is undefined or lenient: copies must be from page-locked memory and inside
 * allocations, queued work runs only when its stream is synchronized (a result read too early is
 * stale, a staging buffer refilled too early corrupts the copy, a buffer freed with work queued
 * is refused), and reading what another stream has yet to write is a sticky error. Files next to
 * the library switch failures on: a refused cubin, an allocation limit (out of memory), a sticky
 * error. Skipped without JDK 22+, gcc or nvcc.
 *
 * <p>Unverified without a device: real asynchrony and timing (the stand-in never reports a
 * speed), cuBLAS's and the kernel's own numerics (the stand-in reimplements both), and that the
 * driver loads NVRTC's cubin.
 */
public class TestStandInCudaGpuTopK extends GpuTopKTestCase {
  private static Path standIn;
  private boolean installed;

  @Override
  protected void installBackend() {
    int feature = Runtime.version().feature();
    assumeTrue("JDK " + feature + " cannot run the FFM backend (needs 22+)", feature >= 22);
    String gcc = CudaToolkit.gcc();
    String nvcc = CudaToolkit.nvcc();
    assumeTrue("gcc not found: the CUDA stand-in cannot be built", gcc != null);
    assumeTrue("nvcc not found: the stand-in's NVRTC runs it", nvcc != null);
    GpuKnn.configure(new GpuKnnSettings(true, 0, 1, 32, 0, standIn(gcc, nvcc).toString()));
    GpuKnn.setBackend(null);
    assertNotNull("stand-in backend: " + GpuKnn.unavailableReason(), GpuKnn.backend());
    assertTrue(GpuKnn.backend().device(), GpuKnn.backend().device().contains("CPU stand-in"));
    installed = true;
  }

  @After
  public void noCudaErrorSwitchedTheGpuOff() {
    if (installed) {
      assertNotNull("a CUDA error: " + GpuKnn.unavailableReason(), GpuKnn.backend());
    }
  }

  public void testTheKernelIsACubinForTheDevice() {
    assertTrue(GpuKnn.backend().device(), GpuKnn.backend().device().contains("kernel cubin sm_90"));
  }

  public void testACubinTheDriverRefusesFallsBackToPtx() throws IOException {
    Path refuse = standIn.resolve("refuse-cubin");
    Files.writeString(refuse, "");
    try {
      GpuKnn.setBackend(null);
      assertNotNull(GpuKnn.unavailableReason(), GpuKnn.backend());
      assertTrue(GpuKnn.backend().device(),
          GpuKnn.backend().device().contains("kernel PTX compute_90"));
    } finally {
      Files.delete(refuse);
    }
  }

  public void testOutOfMemoryAtUploadPutsOnlyThatSegmentOnTheCpu() throws Exception {
    try (RandomVectorIndex index = threeSegments(6000, 32)) {
      List<Integer> sizes = new ArrayList<>();
      for (LeafReaderContext leaf : index.reader.leaves()) {
        sizes.add(leaf.reader().getFloatVectorValues(RandomVectorIndex.FIELD).size());
      }
      sizes.sort(Collections.reverseOrder());
      long largestBytes = (long) sizes.get(0) * 32 * Float.BYTES;
      assertTrue(sizes.toString(), (long) sizes.get(1) * 32 * Float.BYTES < largestBytes - 1);
      Path limit = standIn.resolve("alloc-limit");
      Files.writeString(limit, Long.toString(largestBytes - 1));
      try {
        long before = GpuKnn.gpuSearches();
        float[] target = index.randomVector();
        assertEquals(10, index.search(KnnSearchMode.AUTO, target, 10, null).scoreDocs.length);
        assertEquals("the other segments on the GPU", sizes.size() - 1,
            GpuKnn.gpuSearches() - before);
      } finally {
        Files.delete(limit);
      }
    }
  }

  public void testClosingAReaderAfterAStickyErrorDoesNotThrow() throws Exception {
    RandomVectorIndex index = threeSegments(2000, 16);
    index.search(KnnSearchMode.AUTO, index.randomVector(), 5, null);
    Path sticky = standIn.resolve("sticky");
    Files.writeString(sticky, "1");
    try {
      index.reader.close(); // every cuMemFree fails now
    } finally {
      Files.delete(sticky);
    }
    index.close();
  }

  private RandomVectorIndex threeSegments(int docs, int dimension) throws IOException {
    IndexWriterConfig config = newIndexWriterConfig().setRAMBufferSizeMB(64)
        .setMaxBufferedDocs(IndexWriterConfig.DISABLE_AUTO_FLUSH)
        .setMergePolicy(NoMergePolicy.INSTANCE);
    return new RandomVectorIndex(newDirectory(), config, random(),
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
        List<String> command = List.of(gcc, "-O2", "-shared", "-fPIC", "-o", library.toString(),
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
