package dev.whetstone.codec.gpu;

import java.io.IOException;
import java.util.List;

/**
 * The kernel's fallback order, apart from NVRTC and the driver: each image is compiled and then
 * loaded, and a failure at either step moves on to the next image (a cubin NVRTC builds may still
 * be refused by an older driver; PTX may be of an ISA the driver cannot read).
 */
final class KernelLoader {
  private KernelLoader() {}

  interface Compiler<B> {
    B compile(KernelImage image) throws IOException;
  }

  interface Loader<B, K> {
    K load(B binary) throws IOException;
  }

  /** The kernel and the image it was loaded from. */
  record Loaded<K>(KernelImage image, K kernel) {}

  /**
   * The first image of {@code images} that both compiles and loads.
   *
   * @throws IOException naming every image tried and why it failed, when none did
   */
  static <B, K> Loaded<K> loadFirst(List<KernelImage> images, Compiler<B> compiler,
      Loader<B, K> loader) throws IOException {
    StringBuilder failures = new StringBuilder();
    IOException first = null;
    for (KernelImage image : images) {
      String step = "compile";
      try {
        B binary = compiler.compile(image);
        step = "load";
        return new Loaded<>(image, loader.load(binary));
      } catch (IOException e) {
        failures.append(failures.length() == 0 ? "" : "; ").append(image).append(' ').append(step)
            .append(": ").append(e.getMessage());
        if (first == null) {
          first = e;
        }
      }
    }
    IOException none = new IOException("no top-k kernel image compiled and loaded: " + failures);
    if (first != null) {
      none.initCause(first);
    }
    throw none;
  }
}
