package dev.whetstone.codec.gpu;

import java.lang.System.Logger.Level;
import java.lang.reflect.InvocationTargetException;
import java.util.Objects;
import java.util.concurrent.atomic.LongAdder;

/**
 * A node's GPU kNN: its settings, its backend, if any, and its count of GPU searches. Searches use
 * the backend; without a GPU, CUDA libraries or a JDK 22+ (the backend uses the Foreign Function
 * &amp; Memory API, and the jar must have been built with it), they run on the CPU and one WARN
 * line says why ({@link KnnFallback}). A CUDA error later switches the node to the CPU, again with
 * one log line (an out-of-memory only its segment, see {@link GpuFailure}): a query never fails
 * because of the GPU.
 *
 * <p>{@link #node()} is this JVM's: Lucene builds each segment's vector reader through SPI, from a
 * format made with no arguments, so those readers can reach only it. Its settings are fixed by
 * their first reader ({@link #initSettings}) and its backend is loaded on first use. A format
 * made with another node ({@link #withSettings}, {@link #withBackend}) searches with that one the
 * segments read through it: a codec's own vectors format, as in benchmarks and tests, not a
 * per-field one (per-field formats are read through SPI).
 */
public final class GpuKnn {
  static final String BACKEND_CLASS = "dev.whetstone.codec.gpu.CudaKnnBackend";
  private static final System.Logger LOG = System.getLogger(GpuKnn.class.getName());
  private static final GpuKnn NODE = new GpuKnn(null, null);

  /** The name of {@link #ignoredSettings()} in Solr's node metrics. */
  public static final String IGNORED_SETTINGS_METRIC = "whetstone.gpu.ignoredSettings";

  /** Fixed by the first reader ({@link #initSettings}) and never changed once set. */
  private volatile GpuKnnSettings settings;
  /**
   * Loaded once, on first use, with the settings; null once a CUDA error has moved the node to
   * the CPU ({@link #failed}), for good.
   */
  private volatile boolean loaded;
  private volatile GpuKnnBackend backend;
  private volatile String unavailableReason;
  private final LongAdder gpuSearches = new LongAdder();
  private final LongAdder ignoredSettings = new LongAdder();

  /** With {@code backend} null, the backend is loaded with the settings on first use. */
  private GpuKnn(GpuKnnSettings settings, GpuKnnBackend backend) {
    this.settings = settings;
    this.backend = backend;
    this.loaded = backend != null;
    this.unavailableReason = backend != null ? null : "not loaded yet";
  }

  /** This JVM's node, which the readers Lucene makes through SPI search with. */
  public static GpuKnn node() {
    return NODE;
  }

  /** A node with {@code settings} that opens its own backend with them on first use. */
  public static GpuKnn withSettings(GpuKnnSettings settings) {
    return new GpuKnn(Objects.requireNonNull(settings, "settings"), null);
  }

  /** A node with {@code settings} served by {@code backend}, already open (or emulated). */
  public static GpuKnn withBackend(GpuKnnSettings settings, GpuKnnBackend backend) {
    return new GpuKnn(Objects.requireNonNull(settings, "settings"),
        Objects.requireNonNull(backend, "backend"));
  }

  /** The node's settings: those given to {@link #initSettings}, else the system properties'. */
  public GpuKnnSettings settings() {
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
  public synchronized GpuKnnSettings initSettings(GpuKnnSettings requested) {
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
  public GpuKnnBackend backend() {
    if (!loaded) {
      load();
    }
    return settings().enabled() ? backend : null;
  }

  /** Why {@link #backend()} is null, or null when a GPU backend is active. */
  public String unavailableReason() {
    backend();
    return settings().enabled() ? unavailableReason : "disabled (" + GpuKnnSettings.PREFIX + "enabled=false)";
  }

  /** Searches this node answered on the GPU. */
  public long gpuSearches() {
    return gpuSearches.sum();
  }

  /** Requests for other settings this node ignored ({@link #initSettings}). */
  public long ignoredSettings() {
    return ignoredSettings.sum();
  }

  void countSearch() {
    gpuSearches.increment();
  }

  /** After a CUDA error: every later search runs on the CPU. Logs once. */
  synchronized void failed(Throwable error) {
    if (backend == null) {
      return;
    }
    backend = null;
    unavailableReason = "CUDA error: " + error;
    KnnFallbackLog.node(KnnFallback.DEVICE_ERROR,
        "GPU search failed, all kNN searches now run on the CPU: " + error);
  }

  private synchronized void load() {
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
  private static GpuKnnBackend open(GpuKnnSettings settings) throws Unavailable {
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
