package dev.whetstone.codec.gpu;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;

/**
 * Exact kNN on the first CUDA device through the driver API, cuBLAS and NVRTC, called with the
 * Foreign Function &amp; Memory API: no native code of our own. Loaded by {@code GpuKnn}
 * reflectively through {@link #open}.
 */
public final class CudaKnnBackend implements GpuKnnBackend {
  /**
   * Batches in flight at once, each on its own stream: different segments' and one segment's
   * (while one computes, the next is staged and the last read back).
   */
  static final int CONTEXTS = 2;
  /** Share of the free device memory the vectors may take when no budget is configured. */
  private static final double DEFAULT_BUDGET_SHARE = 0.6;

  private final GpuKnnSettings settings;
  private final CudaDriver driver;
  private final MemorySegment context;
  private final String device;
  private final long budget;
  private final AtomicLong used = new AtomicLong();
  private final BlockingQueue<ExecutionContext> contexts;

  private CudaKnnBackend(GpuKnnSettings settings, CudaDriver driver, MemorySegment context,
      String device, long budget, List<ExecutionContext> contexts) {
    this.settings = settings;
    this.driver = driver;
    this.context = context;
    this.device = device;
    this.budget = budget;
    this.contexts = new ArrayBlockingQueue<>(contexts.size(), false, contexts);
  }

  /** Loads the libraries, compiles the kernel for device 0 and checks that it all works. */
  public static GpuKnnBackend open(GpuKnnSettings settings) throws IOException {
    String path = settings.libraryPath();
    CudaDriver driver = new CudaDriver(NativeLibraries.load("cuda", new int[] {1}, path));
    driver.init();
    int device = driver.device(0);
    MemorySegment context = driver.retainPrimaryContext(device);
    driver.setCurrent(context);
    int major = driver.attribute(CudaDriver.ATTRIBUTE_COMPUTE_CAPABILITY_MAJOR, device);
    int minor = driver.attribute(CudaDriver.ATTRIBUTE_COMPUTE_CAPABILITY_MINOR, device);
    long[] memory = driver.memoryInfo();

    Nvrtc nvrtc = new Nvrtc(NativeLibraries.load("nvrtc", new int[] {13, 12, 11}, path));
    // images in an automatic arena: a loaded module keeps its own copy
    KernelLoader.Loaded<MemorySegment> loaded = KernelLoader.loadFirst(
        KernelImage.candidates(major, minor),
        image -> nvrtc.compile(TopKKernelSource.SOURCE, TopKKernelSource.NAME + ".cu", image,
            Arena.ofAuto()),
        binary -> driver.loadFunction(binary, TopKKernelSource.NAME));
    TopKKernel kernel = new TopKKernel(driver, loaded.kernel());
    Cublas cublas = new Cublas(NativeLibraries.load("cublas", new int[] {13, 12, 11}, path));
    List<ExecutionContext> contexts = new ArrayList<>();
    for (int i = 0; i < CONTEXTS; i++) {
      contexts.add(new ExecutionContext(driver, settings.scoresBytes(), cublas, kernel));
    }
    long budget = settings.memoryBudgetBytes() > 0
        ? settings.memoryBudgetBytes()
        : (long) (memory[0] * DEFAULT_BUDGET_SHARE);
    String description = String.format(Locale.ROOT,
        "%s (compute %d.%d, %d MiB, %d MiB free, vector budget %d MiB, kernel %s)",
        driver.name(device), major, minor, memory[1] >> 20, memory[0] >> 20, budget >> 20,
        loaded.image());
    return new CudaKnnBackend(settings, driver, context, description, budget, contexts);
  }

  @Override
  public String device() {
    return device;
  }

  @Override
  public GpuVectorIndex upload(FloatVectorValues values, VectorSimilarityFunction similarity)
      throws IOException, StaysOnCpuException {
    long bytes = DeviceVectorIndex.bytesFor(values.size(), values.dimension());
    if (!reserve(bytes)) {
      throw new StaysOnCpuException(KnnFallback.MEMORY_BUDGET, String.format(Locale.ROOT,
          "its vectors take %.1f MiB, %.1f MiB of the %.1f MiB GPU memory budget are in use",
          mib(bytes), mib(used.get()), mib(budget)));
    }
    try {
      makeCurrent();
      return DeviceVectorIndex.upload(this, values, similarity, bytes);
    } catch (CudaException e) {
      release(bytes);
      throw e.forReader();
    } catch (IOException | StaysOnCpuException | RuntimeException e) {
      release(bytes);
      throw e;
    }
  }

  /** Runs one batch of searches against {@code index} on a free execution context. */
  void execute(DeviceVectorIndex index, List<DeviceVectorIndex.Query> batch,
      ReusedFilterSlots.Batch slots) throws IOException {
    ExecutionContext execution;
    try {
      execution = contexts.take();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IOException("interrupted waiting for a GPU stream", e);
    }
    try {
      makeCurrent();
      execution.search(index, batch, slots);
    } finally {
      contexts.add(execution);
    }
  }

  /** Driver calls need the context current on the calling thread; search threads vary. */
  void makeCurrent() throws CudaException {
    driver.setCurrent(context);
  }

  CudaDriver driver() {
    return driver;
  }

  GpuKnnSettings settings() {
    return settings;
  }

  private boolean reserve(long bytes) {
    while (true) {
      long now = used.get();
      if (now + bytes > budget) {
        return false;
      }
      if (used.compareAndSet(now, now + bytes)) {
        return true;
      }
    }
  }

  private static double mib(long bytes) {
    return bytes / (double) (1 << 20);
  }

  void release(long bytes) {
    used.addAndGet(-bytes);
  }
}
