package dev.whetstone.codec.gpu;

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

  /**
   * The node's settings, fixed by their first reader ({@link #initSettings}). Process-wide because
   * Lucene builds each segment's vector reader through SPI, from a format made with no arguments:
   * a reader can reach only the node's settings and its one GPU backend. Never changed once set.
   */
  private static volatile GpuKnnSettings settings;
  /**
   * The backend, loaded once on first use with the node's settings; null once a CUDA error has
   * moved the node to the CPU ({@link #failed}), for good. {@link #setBackend} replaces it in
   * tests, since a test cannot hand a backend to the readers Lucene makes through SPI.
   */
  private static volatile boolean loaded;
  private static volatile GpuKnnBackend backend;
  private static volatile String unavailableReason = "not loaded yet";
  private static final LongAdder gpuSearches = new LongAdder();
  private static final LongAdder ignoredSettings = new LongAdder();

  /** The name of {@link #ignoredSettings()} in Solr's node metrics. */
  public static final String IGNORED_SETTINGS_METRIC = "whetstone.gpu.ignoredSettings";

  private GpuKnn() {}

  /** The node's settings: those given to {@link #initSettings}, else the system properties'. */
  public static GpuKnnSettings settings() {
    GpuKnnSettings current = settings;
    return current != null ? current : initSettings(null);
  }

  /**
   * Fixes the node's settings to {@code requested} (null: the system properties') unless they
   * are fixed already, by an earlier call or by a search; then a different request is ignored
   * with a WARN line and counted ({@link #ignoredSettings()}), as the backend serving the node was
   * opened with the first ones.
   *
   * @return the node's settings
   * @throws IllegalArgumentException naming the property, when {@code requested} is null and a
   *     system property is malformed or out of range
   */
  public static synchronized GpuKnnSettings initSettings(GpuKnnSettings requested) {
    if (settings == null) {
      settings = requested != null ? requested : GpuKnnSettings.fromSystemProperties();
    } else if (requested != null && !requested.equals(settings)) {
      ignoredSettings.increment();
      LOG.log(Level.WARNING, "Whetstone kNN: the node's GPU settings are fixed already, " + settings
          + "; ignoring " + requested + " (a restart applies them) [" + IGNORED_SETTINGS_METRIC + "]");
    }
    return settings;
  }

  /** The backend, loading it on first call; null when searches run on the CPU. */
  public static GpuKnnBackend backend() {
    if (!loaded) {
      load();
    }
    return settings().enabled() ? backend : null;
  }

  /** Why {@link #backend()} is null, or null when a GPU backend is active. */
  public static String unavailableReason() {
    backend();
    return settings().enabled() ? unavailableReason : "disabled (" + GpuKnnSettings.PREFIX + "enabled=false)";
  }

  /** Searches answered on the GPU since the JVM started. */
  public static long gpuSearches() {
    return gpuSearches.sum();
  }

  /** Requests for other node settings ignored since the JVM started ({@link #initSettings}). */
  public static long ignoredSettings() {
    return ignoredSettings.sum();
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

  /**
   * Replaces the backend, or with null loads it again on next use: the one way for a test to
   * put a backend (an emulated one, or one opened with other settings by {@link #open}) behind the
   * readers Lucene makes through SPI.
   */
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
      backend = open(settings());
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

  /** Opens a backend with {@code settings}; {@link Unavailable} says why there is none. */
  static GpuKnnBackend open(GpuKnnSettings settings) throws Unavailable {
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

  static final class Unavailable extends Exception {
    /** Null when the GPU was switched off on purpose. */
    final KnnFallback fallback;

    Unavailable(KnnFallback fallback, String message) {
      super(message, null, false, false);
      this.fallback = fallback;
    }
  }
}
