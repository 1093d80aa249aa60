package dev.whetstone.codec.gpu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The kernel's build order (cubin for the device first, PTX as the fallback) and the fallback
 * loop, with NVRTC and the driver replaced by stand-ins. Unverified without a device: that the
 * driver accepts NVRTC's cubin ({@code cuModuleLoadData}) on a real GPU; {@link
 * TestTopKKernelSource} checks that the options and the source compile with nvcc.
 */
public class TestKernelLoading extends LuceneTestCase {
  public void testCandidatesForAnH100() {
    assertEquals("[cubin sm_90, PTX compute_90, PTX compute_80, PTX compute_75]",
        KernelImage.candidates(9, 0).toString());
  }

  public void testAMinorRevisionAlsoTriesItsMajorsCubin() {
    assertEquals("[cubin sm_86, cubin sm_80, PTX compute_86, PTX compute_80, PTX compute_75]",
        KernelImage.candidates(8, 6).toString());
  }

  public void testANewerDeviceFallsBackToOlderPtx() {
    assertEquals("[cubin sm_120, PTX compute_120, PTX compute_90, PTX compute_80, PTX compute_75]",
        KernelImage.candidates(12, 0).toString());
    assertEquals("[cubin sm_75, cubin sm_70, PTX compute_75]",
        KernelImage.candidates(7, 5).toString());
  }

  public void testNvrtcOptions() {
    assertEquals("--gpu-architecture=sm_90", new KernelImage(true, 90).architectureOption());
    assertEquals("--gpu-architecture=compute_80", new KernelImage(false, 80).architectureOption());
  }

  public void testACubinTheDriverRefusesFallsBackToPtx() throws IOException {
    List<String> tried = new ArrayList<>();
    KernelLoader.Loaded<String> loaded = KernelLoader.loadFirst(KernelImage.candidates(9, 0),
        image -> {
          tried.add("compile " + image);
          return image.toString();
        },
        binary -> {
          tried.add("load " + binary);
          if (binary.startsWith("cubin")) {
            throw new IOException("cuModuleLoadData failed: CUDA_ERROR_NO_BINARY_FOR_GPU (209)");
          }
          return "kernel from " + binary;
        });
    assertEquals(new KernelImage(false, 90), loaded.image());
    assertEquals("kernel from PTX compute_90", loaded.kernel());
    assertEquals(List.of("compile cubin sm_90", "load cubin sm_90", "compile PTX compute_90",
        "load PTX compute_90"), tried);
  }

  public void testACompileFailureMovesOnWithoutLoading() throws IOException {
    List<String> loadedBinaries = new ArrayList<>();
    KernelLoader.Loaded<String> loaded = KernelLoader.loadFirst(KernelImage.candidates(12, 0),
        image -> {
          if (image.arch() == 120) {
            throw new IOException("nvrtcCompileProgram: invalid value for --gpu-architecture");
          }
          return image.toString();
        },
        binary -> {
          loadedBinaries.add(binary);
          return binary;
        });
    assertEquals(new KernelImage(false, 90), loaded.image());
    assertEquals(List.of("PTX compute_90"), loadedBinaries);
  }

  public void testWhenNothingLoadsEveryAttemptIsNamed() {
    IOException e = expectThrows(IOException.class, () -> KernelLoader.loadFirst(
        KernelImage.candidates(8, 0),
        image -> image.toString(),
        binary -> {
          throw new IOException("CUDA_ERROR_UNSUPPORTED_PTX_VERSION for " + binary);
        }));
    assertTrue(e.getMessage(), e.getMessage().contains(
        "cubin sm_80 load: CUDA_ERROR_UNSUPPORTED_PTX_VERSION for cubin sm_80; "
            + "PTX compute_80 load: CUDA_ERROR_UNSUPPORTED_PTX_VERSION for PTX compute_80; "
            + "PTX compute_75 load: CUDA_ERROR_UNSUPPORTED_PTX_VERSION for PTX compute_75"));
    assertNotNull(e.getCause());
  }
}
