package dev.whetstone.codec.gpu;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/** Build tools some tests use when the machine has them: nvcc (CUDA toolkit), gcc and g++. */
public final class CudaToolkit {
  private CudaToolkit() {}

  /**
   * nvcc: {@code -Dwhetstone.nvcc}, else {@code $CUDA_HOME/bin/nvcc}, {@code
   * /usr/local/cuda/bin/nvcc}, or on the PATH; null when none.
   */
  public static String nvcc() {
    List<String> candidates = new ArrayList<>();
    candidates.add(System.getProperty("whetstone.nvcc"));
    String cudaHome = System.getenv("CUDA_HOME");
    if (cudaHome != null) {
      candidates.add(Path.of(cudaHome, "bin", "nvcc").toString());
    }
    candidates.add("/usr/local/cuda/bin/nvcc");
    for (String candidate : candidates) {
      if (candidate != null && Files.isExecutable(Path.of(candidate))) {
        return candidate;
      }
    }
    return onPath("nvcc");
  }

  /** gcc on the PATH, or null. */
  public static String gcc() {
    return onPath("gcc");
  }

  /** g++ on the PATH, or null. */
  public static String gxx() {
    return onPath("g++");
  }

  private static String onPath(String name) {
    String path = System.getenv("PATH");
    for (String dir : path == null ? new String[0] : path.split(File.pathSeparator)) {
      if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, name))) {
        return Path.of(dir, name).toString();
      }
    }
    return null;
  }
}
