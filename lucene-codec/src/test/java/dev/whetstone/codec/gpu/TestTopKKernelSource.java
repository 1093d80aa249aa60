package dev.whetstone.codec.gpu;

import dev.whetstone.codec.CudaToolkit;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.tests.util.LuceneTestCase;

/**
 * The kernel source compiles with nvcc, with the architecture options the backend gives NVRTC:
 * to a cubin for an H100 (sm_90) and to PTX for the oldest fallback (compute_75). nvcc needs no
 * GPU, so this runs where the CUDA toolkit is installed and is skipped, with the reason, where it
 * is not ({@link CudaToolkit#nvcc}). Unverified here: that NVRTC of the device's machine accepts
 * it, and that the kernel runs right on a device.
 */
public class TestTopKKernelSource extends LuceneTestCase {
  /** The numbers in it are ASCII whatever the JVM's locale (Persian digits broke it once). */
  public void testSourceIsAsciiCudaC() {
    for (int i = 0; i < TopKKernelSource.SOURCE.length(); i++) {
      assertTrue("non-ASCII character at " + i, TopKKernelSource.SOURCE.charAt(i) < 128);
    }
    assertTrue(TopKKernelSource.SOURCE.contains("#define THREADS " + TopKKernelSource.THREADS + "\n"));
  }

  public void testCompilesToACubinForSm90() throws Exception {
    compile(new KernelImage(true, 90), "-cubin", "kernel.cubin");
  }

  public void testCompilesToPtxForCompute75() throws Exception {
    compile(new KernelImage(false, 75), "-ptx", "kernel.ptx");
  }

  private void compile(KernelImage image, String mode, String output) throws Exception {
    String nvcc = CudaToolkit.nvcc();
    assumeTrue("nvcc not found (CUDA toolkit not installed): kernel compile check skipped",
        nvcc != null);
    Path dir = createTempDir("topk");
    Path source = dir.resolve(TopKKernelSource.NAME + ".cu");
    Files.writeString(source, TopKKernelSource.SOURCE, StandardCharsets.UTF_8);
    Path out = dir.resolve(output);
    List<String> command = new ArrayList<>(List.of(nvcc, mode, image.architectureOption(),
        "-o", out.toString(), source.toString()));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertTrue("nvcc timed out", process.waitFor(120, TimeUnit.SECONDS));
    assertEquals(String.join(" ", command) + ":\n" + log, 0, process.exitValue());
    assertTrue(Files.size(out) > 0);
    if (!image.cubin()) {
      String ptx = Files.readString(out, StandardCharsets.UTF_8);
      assertTrue(ptx.contains(".entry " + TopKKernelSource.NAME));
    }
  }
}
