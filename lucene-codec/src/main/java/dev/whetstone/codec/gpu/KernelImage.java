package dev.whetstone.codec.gpu;

import java.util.ArrayList;
import java.util.List;

/**
 * One way to build the top-k kernel with NVRTC: a cubin (machine code) for a real architecture,
 * or PTX for a virtual one, which the driver compiles when it loads the module.
 *
 * @param cubin true for a cubin ({@code sm_XY}), false for PTX ({@code compute_XY})
 * @param arch the architecture as {@code 10 * major + minor}, e.g. 90 for compute capability 9.0
 */
record KernelImage(boolean cubin, int arch) {
  /** Older PTX targets tried last: an NVRTC older than the device does not know its architecture. */
  private static final int[] OLDER_PTX = {90, 80, 75};

  /** The NVRTC option (nvcc takes it too) that selects this image's architecture. */
  String architectureOption() {
    return "--gpu-architecture=" + (cubin ? "sm_" : "compute_") + arch;
  }

  /**
   * The images to try, in order, for a device of compute capability {@code major.minor}: a cubin
   * for the device (no JIT at load, and loadable where the driver cannot read this NVRTC's PTX),
   * then one for {@code major.0} (machine code runs on later minor revisions of its major), then PTX
   * for the device, then PTX for older architectures the driver compiles forward.
   */
  static List<KernelImage> candidates(int major, int minor) {
    int device = major * 10 + minor;
    List<KernelImage> images = new ArrayList<>();
    images.add(new KernelImage(true, device));
    if (minor != 0) {
      images.add(new KernelImage(true, major * 10));
    }
    images.add(new KernelImage(false, device));
    for (int arch : OLDER_PTX) {
      if (arch < device) {
        images.add(new KernelImage(false, arch));
      }
    }
    return images;
  }

  @Override
  public String toString() {
    return (cubin ? "cubin sm_" : "PTX compute_") + arch;
  }
}
