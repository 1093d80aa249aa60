package dev.whetstone.codec;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.util.concurrent.atomic.LongAdder;

/**
 * The process-wide GPU backend, if any. Loaded on first use: only on JDK 22+ (the backend uses
 * the Foreign Function &amp; Memory API) and only when the jar was built with it. Without a GPU,
 * CUDA libraries or a JDK 22+, searches run on the CPU and one WARN line says why ({@link
 * KnnFallback}). A CUDA error
 * later switches the whole process to the CPU, again with one log line (an out-of-memory only its
 * segment, see {@link GpuFailure}): a query never fails because of the GPU.
 */
public final class GpuKnn {
  static final String BACKEND_CLASS = "dev.whetstone.codec.gpu.CudaKnnBackend";
  private static final System.Logger LOG = System.getLogger(GpuKnn.class.getName());

  private static volatile GpuKnnSettings settings = GpuKnnSettings.fromSystemProperties();
  private static volatile boolean loaded;
  private static volatile GpuKnnBackend backend;
  private static volatile String unavailableReason = "not loaded yet";
  private static final LongAdder gpuSearches = new LongAdder();

  private GpuKnn() {}

  public static GpuKnnSettings settings() {
    return settings;
  }

  /**
   * Replaces the settings. Memory budget, batching and library path take effect only if the
   * backend has not been loaded yet; {@code minVectors} and {@code enabled} apply to segments
   * searched from now on.
   */
  public static void configure(GpuKnnSettings newSettings) {
    settings = newSettings;
  }

  /** The backend, loading it on first call; null when searches run on the CPU. */
  public static GpuKnnBackend backend() {
    if (!loaded) {
      load();
    }
    return settings.enabled() ? backend : null;
  }

  /** Why {@link #backend()} is null, or null when a GPU backend is active. */
  public static String unavailableReason() {
    backend();
    return settings.enabled() ? unavailableReason : "disabled (" + GpuKnnSettings.PREFIX + "enabled=false)";
  }

  /** Searches answered on the GPU since the JVM started. */
  public static long gpuSearches() {
    return gpuSearches.sum();
  }

  static void countSearch() {
    gpuSearches.increment();
  }

  /** After a CUDA error: every later search runs on the CPU. Logs once. */
  static synchronized void failed(Throwable error) {
    if (backend == null) {
      return;
    }
    backend = null;
    unavailableReason = "CUDA error: " + error;
    KnnFallbackLog.node(KnnFallback.DEVICE_ERROR,
        "GPU search failed, all kNN searches now run on the CPU: " + error);
  }

  /** Replaces the backend, or with null loads it again on next use; for tests. */
  static synchronized void setBackend(GpuKnnBackend newBackend) {
    backend = newBackend;
    loaded = newBackend != null;
    unavailableReason = newBackend == null ? "not loaded yet" : null;
  }

  private static synchronized void load() {
    if (loaded) {
      return;
    }
    try {
      backend = open();
      unavailableReason = null;
      LOG.log(Level.INFO, "Whetstone kNN: exact search on GPU " + backend.device());
    } catch (Unavailable e) {
      unavailableReason = e.getMessage();
      String line = "searching on CPU (HNSW), GPU unavailable: " + e.getMessage();
      if (e.fallback == null) {
        LOG.log(Level.INFO, "Whetstone kNN: " + line); // switched off on purpose: no fallback
      } else {
        KnnFallbackLog.node(e.fallback, line);
      }
    } finally {
      loaded = true;
    }
  }

  private static GpuKnnBackend open() throws Unavailable {
    if (!settings.enabled()) {
      throw new Unavailable(null, "disabled (" + GpuKnnSettings.PREFIX + "enabled=false)");
    }
    int feature = Runtime.version().feature();
    if (feature < 22) {
      throw new Unavailable(KnnFallback.NO_FFM,
          "JDK " + feature + " has no final Foreign Function API (needs 22+)");
    }
    Class<?> impl;
    try {
      impl = Class.forName(BACKEND_CLASS, true, GpuKnn.class.getClassLoader());
    } catch (ClassNotFoundException | LinkageError e) {
      throw new Unavailable(KnnFallback.BACKEND_UNAVAILABLE,
          "this jar was built without the GPU backend (built by a JDK < 22)");
    }
    try {
      return (GpuKnnBackend)
          impl.getMethod("open", GpuKnnSettings.class).invoke(null, settings);
    } catch (InvocationTargetException e) {
      Throwable cause = e.getCause();
      throw new Unavailable(KnnFallback.BACKEND_UNAVAILABLE,
          cause.getMessage() != null ? cause.getMessage() : cause.toString());
    } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
      throw new Unavailable(KnnFallback.BACKEND_UNAVAILABLE, e.toString());
    }
  }

  private static final class Unavailable extends Exception {
    /** Null when the GPU was switched off on purpose. */
    final KnnFallback fallback;

    Unavailable(KnnFallback fallback, String message) {
      super(message, null, false, false);
      this.fallback = fallback;
    }
  }
}
