package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/** Compiles CUDA C to a cubin or to PTX at run time with NVRTC ({@code libnvrtc.so}). */
final class Nvrtc {
  private final MethodHandle createProgram;
  private final MethodHandle compileProgram;
  private final MethodHandle getPtxSize;
  private final MethodHandle getPtx;
  /** Null for an NVRTC older than 11.1, which can only emit PTX. */
  private final MethodHandle getCubinSize;
  private final MethodHandle getCubin;
  private final MethodHandle getLogSize;
  private final MethodHandle getLog;
  private final MethodHandle destroyProgram;

  Nvrtc(SymbolLookup lib) throws CudaException {
    createProgram = NativeLibraries.function(lib, "nvrtcCreateProgram",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS, JAVA_INT, ADDRESS, ADDRESS));
    compileProgram = NativeLibraries.function(lib, "nvrtcCompileProgram",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, ADDRESS));
    getPtxSize = NativeLibraries.function(lib, "nvrtcGetPTXSize",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getPtx = NativeLibraries.function(lib, "nvrtcGetPTX",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getCubinSize = lib.find("nvrtcGetCUBINSize").isEmpty() ? null
        : NativeLibraries.function(lib, "nvrtcGetCUBINSize",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getCubin = getCubinSize == null ? null
        : NativeLibraries.function(lib, "nvrtcGetCUBIN",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getLogSize = NativeLibraries.function(lib, "nvrtcGetProgramLogSize",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    getLog = NativeLibraries.function(lib, "nvrtcGetProgramLog",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    destroyProgram = NativeLibraries.function(lib, "nvrtcDestroyProgram",
        FunctionDescriptor.of(JAVA_INT, ADDRESS));
  }

  /**
   * {@code source} compiled to {@code image}: a cubin, or PTX text NUL-terminated as
   * cuModuleLoadData expects, allocated in {@code arena}.
   */
  MemorySegment compile(String source, String name, KernelImage image, Arena arena)
      throws CudaException {
    if (image.cubin() && getCubin == null) {
      throw new CudaException("this NVRTC has no nvrtcGetCUBIN (older than CUDA 11.1)");
    }
    try (Arena local = Arena.ofConfined()) {
      MemorySegment programOut = local.allocate(ADDRESS);
      MemorySegment src = local.allocateFrom(source);
      MemorySegment cName = local.allocateFrom(name);
      check("nvrtcCreateProgram", CudaDriver.call(() -> (int) createProgram.invokeExact(
          programOut, src, cName, 0, MemorySegment.NULL, MemorySegment.NULL)));
      MemorySegment program = programOut.get(ADDRESS, 0);
      try {
        MemorySegment options = local.allocate(ADDRESS, 1);
        options.setAtIndex(ADDRESS, 0, local.allocateFrom(image.architectureOption()));
        int status = CudaDriver.call(() -> (int) compileProgram.invokeExact(program, 1, options));
        if (status != 0) {
          throw new CudaException("nvrtcCompileProgram " + image.architectureOption()
              + " failed (" + status + "): " + log(program, local));
        }
        MemorySegment size = local.allocate(JAVA_LONG);
        if (image.cubin()) {
          check("nvrtcGetCUBINSize",
              CudaDriver.call(() -> (int) getCubinSize.invokeExact(program, size)));
          MemorySegment cubin = arena.allocate(size.get(JAVA_LONG, 0));
          check("nvrtcGetCUBIN", CudaDriver.call(() -> (int) getCubin.invokeExact(program, cubin)));
          return cubin;
        }
        check("nvrtcGetPTXSize", CudaDriver.call(() -> (int) getPtxSize.invokeExact(program, size)));
        MemorySegment ptx = arena.allocate(size.get(JAVA_LONG, 0) + 1);
        check("nvrtcGetPTX", CudaDriver.call(() -> (int) getPtx.invokeExact(program, ptx)));
        return ptx;
      } finally {
        CudaDriver.call(() -> (int) destroyProgram.invokeExact(programOut));
      }
    }
  }

  private String log(MemorySegment program, Arena arena) throws CudaException {
    MemorySegment size = arena.allocate(JAVA_LONG);
    if (CudaDriver.call(() -> (int) getLogSize.invokeExact(program, size)) != 0) {
      return "(no log)";
    }
    MemorySegment text = arena.allocate(size.get(JAVA_LONG, 0) + 1);
    CudaDriver.call(() -> (int) getLog.invokeExact(program, text));
    return text.getString(0).trim();
  }

  private static void check(String what, int status) throws CudaException {
    if (status != 0) {
      throw new CudaException(what + " failed: nvrtcResult " + status);
    }
  }
}
