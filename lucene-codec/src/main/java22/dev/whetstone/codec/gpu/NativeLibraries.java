package dev.whetstone.codec.gpu;

import java.io.File;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Finds a CUDA library by its standard name ({@code libcublas.so}, with or without a version
 * suffix): first in the configured directories, then through the dynamic loader (its cache and
 * {@code LD_LIBRARY_PATH}), then in the usual CUDA install directories, where libraries such as
 * cuBLAS often are without being in the loader cache.
 */
final class NativeLibraries {
  private static final Linker LINKER = Linker.nativeLinker();

  private NativeLibraries() {}

  /**
   * @param name the library's base name, e.g. {@code cublas} for {@code libcublas.so*}
   * @param majors version suffixes to try through the loader, newest first
   * @param configured directories to search first ({@code File.pathSeparator}-separated)
   */
  static SymbolLookup load(String name, int[] majors, String configured) throws IOException {
    List<String> tried = new ArrayList<>();
    String fileName = "lib" + name + ".so";
    for (Path dir : directories(configured)) {
      Path found = newestIn(dir, fileName);
      if (found != null) {
        return SymbolLookup.libraryLookup(found, Arena.global());
      }
      tried.add(dir.toString());
    }
    List<String> loaderNames = new ArrayList<>();
    loaderNames.add(fileName);
    for (int major : majors) {
      loaderNames.add(fileName + "." + major);
    }
    for (String loaderName : loaderNames) {
      try {
        return SymbolLookup.libraryLookup(loaderName, Arena.global());
      } catch (IllegalArgumentException notFound) {
        tried.add(loaderName);
      }
    }
    for (Path dir : standardDirectories()) {
      Path found = newestIn(dir, fileName);
      if (found != null) {
        return SymbolLookup.libraryLookup(found, Arena.global());
      }
      tried.add(dir.toString());
    }
    throw new CudaException(fileName + " not found (looked in " + String.join(", ", tried)
        + "; set -D" + "whetstone.gpu.libraryPath to its directory)");
  }

  static MethodHandle function(SymbolLookup library, String symbol, FunctionDescriptor signature)
      throws CudaException {
    return LINKER.downcallHandle(
        library.find(symbol).orElseThrow(() -> new CudaException("symbol " + symbol + " not found")),
        signature);
  }

  private static List<Path> directories(String pathList) {
    List<Path> dirs = new ArrayList<>();
    for (String dir : pathList.split(Pattern.quote(File.pathSeparator))) {
      if (!dir.isBlank()) {
        dirs.add(Path.of(dir.trim()));
      }
    }
    return dirs;
  }

  private static List<Path> standardDirectories() {
    List<Path> dirs = new ArrayList<>();
    String arch = System.getProperty("os.arch").equals("aarch64") ? "sbsa" : "x86_64";
    for (String home : new String[] {System.getenv("CUDA_HOME"), System.getenv("CUDA_PATH"), "/usr/local/cuda"}) {
      if (home != null && !home.isBlank()) {
        dirs.add(Path.of(home, "lib64"));
        dirs.add(Path.of(home, "targets", arch + "-linux", "lib"));
      }
    }
    String multiarch = arch.equals("sbsa") ? "aarch64-linux-gnu" : "x86_64-linux-gnu";
    dirs.add(Path.of("/usr/lib", multiarch));
    dirs.add(Path.of("/usr/lib64"));
    dirs.add(Path.of("/usr/lib"));
    return dirs;
  }

  /** {@code lib<name>.so} itself, else the {@code lib<name>.so.N...} with the highest version. */
  private static Path newestIn(Path dir, String fileName) {
    Path plain = dir.resolve(fileName);
    if (Files.isRegularFile(plain)) {
      return plain;
    }
    if (!Files.isDirectory(dir)) {
      return null;
    }
    Pattern versioned = Pattern.compile(Pattern.quote(fileName) + "(\\.\\d+)+");
    try (Stream<Path> files = Files.list(dir)) {
      return files
          .filter(p -> versioned.matcher(p.getFileName().toString()).matches())
          .filter(Files::isRegularFile)
          .max(Comparator.comparing(p -> versionKey(p.getFileName().toString(), fileName)))
          .orElse(null);
    } catch (IOException e) {
      return null;
    }
  }

  /** "13.1.0" sorted numerically: each part zero-padded. */
  private static String versionKey(String file, String fileName) {
    StringBuilder key = new StringBuilder();
    for (String part : file.substring(fileName.length() + 1).split("\\.")) {
      key.append(String.format(Locale.ROOT, "%010d", Long.parseLong(part)));
    }
    return key.toString();
  }
}
