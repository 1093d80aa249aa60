package dev.whetstone.codec.gpu;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;

/**
 * The CUDA driver API calls the backend makes ({@code libcuda.so}): device, primary context,
 * memory, streams, modules and kernel launches. Device pointers are {@code long}s, handles
 * (context, stream, module, function) are {@link MemorySegment} addresses.
 */
final class CudaDriver {
  static final int ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR = 75;
  static final int ATTRIBUTE_COMPUTE_CAPABILITY_MINOR = 76;
  private static final int CUDA_ERROR_OUT_OF_MEMORY = 2;

  private static final FunctionDescriptor RESULT_PTR = FunctionDescriptor.of(JAVA_INT, ADDRESS);
  private static final FunctionDescriptor RESULT_PTR_PTR =
      FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS);

  private final MethodHandle cuInit;
  private final MethodHandle cuDeviceGet;
  private final MethodHandle cuDeviceGetAttribute;
  private final MethodHandle cuDeviceGetName;
  private final MethodHandle cuDevicePrimaryCtxRetain;
  private final MethodHandle cuCtxSetCurrent;
  private final MethodHandle cuMemGetInfo;
  private final MethodHandle cuMemAlloc;
  private final MethodHandle cuMemFree;
  private final MethodHandle cuMemAllocHost;
  private final MethodHandle cuMemFreeHost;
  private final MethodHandle cuMemcpyHtoDAsync;
  private final MethodHandle cuMemcpyDtoHAsync;
  private final MethodHandle cuStreamCreate;
  private final MethodHandle cuStreamSynchronize;
  private final MethodHandle cuStreamDestroy;
  private final MethodHandle cuModuleLoadData;
  private final MethodHandle cuModuleGetFunction;
  private final MethodHandle cuLaunchKernel;
  private final MethodHandle cuGetErrorName;

  CudaDriver(SymbolLookup lib) throws CudaException {
    cuInit = NativeLibraries.function(lib, "cuInit", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    cuDeviceGet = NativeLibraries.function(lib, "cuDeviceGet",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    cuDeviceGetAttribute = NativeLibraries.function(lib, "cuDeviceGetAttribute",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    cuDeviceGetName = NativeLibraries.function(lib, "cuDeviceGetName",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT));
    cuDevicePrimaryCtxRetain = NativeLibraries.function(lib, "cuDevicePrimaryCtxRetain",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    cuCtxSetCurrent = NativeLibraries.function(lib, "cuCtxSetCurrent", RESULT_PTR);
    cuMemGetInfo = NativeLibraries.function(lib, "cuMemGetInfo_v2", RESULT_PTR_PTR);
    cuMemAlloc = NativeLibraries.function(lib, "cuMemAlloc_v2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    cuMemFree = NativeLibraries.function(lib, "cuMemFree_v2",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    cuMemAllocHost = NativeLibraries.function(lib, "cuMemAllocHost_v2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    cuMemFreeHost = NativeLibraries.function(lib, "cuMemFreeHost", RESULT_PTR);
    cuMemcpyHtoDAsync = NativeLibraries.function(lib, "cuMemcpyHtoDAsync_v2",
        FunctionDescriptor.of(JAVA_INT, JAVA_LONG, ADDRESS, JAVA_LONG, ADDRESS));
    cuMemcpyDtoHAsync = NativeLibraries.function(lib, "cuMemcpyDtoHAsync_v2",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG, ADDRESS));
    cuStreamCreate = NativeLibraries.function(lib, "cuStreamCreate",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT));
    cuStreamSynchronize = NativeLibraries.function(lib, "cuStreamSynchronize", RESULT_PTR);
    cuStreamDestroy = NativeLibraries.function(lib, "cuStreamDestroy_v2", RESULT_PTR);
    cuModuleLoadData = NativeLibraries.function(lib, "cuModuleLoadData", RESULT_PTR_PTR);
    cuModuleGetFunction = NativeLibraries.function(lib, "cuModuleGetFunction",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    cuLaunchKernel = NativeLibraries.function(lib, "cuLaunchKernel",
        FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT,
            JAVA_INT, JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    cuGetErrorName = NativeLibraries.function(lib, "cuGetErrorName",
        FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
  }

  void init() throws CudaException {
    check("cuInit", call(() -> (int) cuInit.invokeExact(0)));
  }

  int device(int ordinal) throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      check("cuDeviceGet", call(() -> (int) cuDeviceGet.invokeExact(out, ordinal)));
      return out.get(JAVA_INT, 0);
    }
  }

  int attribute(int attribute, int device) throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_INT);
      check("cuDeviceGetAttribute",
          call(() -> (int) cuDeviceGetAttribute.invokeExact(out, attribute, device)));
      return out.get(JAVA_INT, 0);
    }
  }

  String name(int device) throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(256);
      check("cuDeviceGetName", call(() -> (int) cuDeviceGetName.invokeExact(out, 256, device)));
      return out.getString(0);
    }
  }

  MemorySegment retainPrimaryContext(int device) throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cuDevicePrimaryCtxRetain",
          call(() -> (int) cuDevicePrimaryCtxRetain.invokeExact(out, device)));
      return out.get(ADDRESS, 0);
    }
  }

  /** Makes {@code context} current on the calling thread (driver calls need one). */
  void setCurrent(MemorySegment context) throws CudaException {
    check("cuCtxSetCurrent", call(() -> (int) cuCtxSetCurrent.invokeExact(context)));
  }

  /** {free, total} bytes of device memory. */
  long[] memoryInfo() throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment free = arena.allocate(JAVA_LONG);
      MemorySegment total = arena.allocate(JAVA_LONG);
      check("cuMemGetInfo", call(() -> (int) cuMemGetInfo.invokeExact(free, total)));
      return new long[] {free.get(JAVA_LONG, 0), total.get(JAVA_LONG, 0)};
    }
  }

  long malloc(long bytes) throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(JAVA_LONG);
      check("cuMemAlloc(" + bytes + " bytes)",
          call(() -> (int) cuMemAlloc.invokeExact(out, Math.max(bytes, 1L))));
      return out.get(JAVA_LONG, 0);
    }
  }

  void free(long devicePointer) throws CudaException {
    if (devicePointer != 0) {
      check("cuMemFree", call(() -> (int) cuMemFree.invokeExact(devicePointer)));
    }
  }

  /** Page-locked host memory, so that asynchronous copies really are asynchronous. */
  MemorySegment mallocHost(long bytes) throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      check("cuMemAllocHost(" + bytes + " bytes)",
          call(() -> (int) cuMemAllocHost.invokeExact(out, Math.max(bytes, 1L))));
      return out.get(ADDRESS, 0).reinterpret(Math.max(bytes, 1L));
    }
  }

  void freeHost(MemorySegment host) throws CudaException {
    if (host != null && !host.equals(MemorySegment.NULL)) {
      check("cuMemFreeHost", call(() -> (int) cuMemFreeHost.invokeExact(host)));
    }
  }

  /**
   * Queues a copy on {@code stream}, ordered before what is queued on it later. {@code src} must
   * be page-locked ({@link #mallocHost}) and left alone until the stream is synchronized: the DMA
   * reads it while the caller goes on.
   */
  void copyToDeviceAsync(long dst, MemorySegment src, long bytes, MemorySegment stream)
      throws CudaException {
    check("cuMemcpyHtoDAsync",
        call(() -> (int) cuMemcpyHtoDAsync.invokeExact(dst, src, bytes, stream)));
  }

  void copyToHostAsync(MemorySegment dst, long src, long bytes, MemorySegment stream)
      throws CudaException {
    check("cuMemcpyDtoHAsync",
        call(() -> (int) cuMemcpyDtoHAsync.invokeExact(dst, src, bytes, stream)));
  }

  MemorySegment createStream() throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      // CU_STREAM_NON_BLOCKING: no implicit synchronization with the legacy default stream
      check("cuStreamCreate", call(() -> (int) cuStreamCreate.invokeExact(out, 1)));
      return out.get(ADDRESS, 0);
    }
  }

  /** Waits until everything queued on {@code stream} is done. */
  void synchronize(MemorySegment stream) throws CudaException {
    check("cuStreamSynchronize", call(() -> (int) cuStreamSynchronize.invokeExact(stream)));
  }

  void destroyStream(MemorySegment stream) throws CudaException {
    check("cuStreamDestroy", call(() -> (int) cuStreamDestroy.invokeExact(stream)));
  }

  /**
   * Loads a module from a cubin or from PTX text (NUL-terminated) and returns its function {@code
   * name}.
   */
  MemorySegment loadFunction(MemorySegment image, String name) throws CudaException {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment module = arena.allocate(ADDRESS);
      check("cuModuleLoadData", call(() -> (int) cuModuleLoadData.invokeExact(module, image)));
      MemorySegment function = arena.allocate(ADDRESS);
      MemorySegment moduleHandle = module.get(ADDRESS, 0);
      MemorySegment cName = arena.allocateFrom(name);
      check("cuModuleGetFunction",
          call(() -> (int) cuModuleGetFunction.invokeExact(function, moduleHandle, cName)));
      return function.get(ADDRESS, 0);
    }
  }

  /**
   * Launches {@code function} on {@code stream}; {@code params} holds one pointer per kernel
   * argument, each to the argument's value.
   */
  void launch(MemorySegment function, int gridX, int gridY, int blockX, MemorySegment params,
      MemorySegment stream) throws CudaException {
    check("cuLaunchKernel", call(() -> (int) cuLaunchKernel.invokeExact(function, gridX, gridY,
        1, blockX, 1, 1, 0, stream, params, MemorySegment.NULL)));
  }

  private void check(String what, int result) throws CudaException {
    if (result != 0) {
      throw new CudaException(what + " failed: " + errorName(result) + " (" + result + ")",
          result == CUDA_ERROR_OUT_OF_MEMORY);
    }
  }

  private String errorName(int result) {
    try (Arena arena = Arena.ofConfined()) {
      MemorySegment out = arena.allocate(ADDRESS);
      int status = call(() -> (int) cuGetErrorName.invokeExact(result, out));
      MemorySegment text = out.get(ADDRESS, 0);
      return status == 0 && !text.equals(MemorySegment.NULL)
          ? text.reinterpret(256).getString(0)
          : "CUresult";
    } catch (CudaException e) {
      return "CUresult";
    }
  }

  /** A native call whose only checked failure is {@link Throwable} from invokeExact. */
  interface Call {
    int run() throws Throwable;
  }

  static int call(Call call) throws CudaException {
    try {
      return call.run();
    } catch (Error | RuntimeException e) {
      throw e;
    } catch (Throwable t) {
      CudaException e = new CudaException("native call failed: " + t);
      e.initCause(t);
      throw e;
    }
  }
}
