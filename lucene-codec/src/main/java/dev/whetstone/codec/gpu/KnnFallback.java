package dev.whetstone.codec.gpu;

import dev.whetstone.codec.gpu.GpuVectorIndex;
import java.util.concurrent.atomic.LongAdder;

/**
 * Why a float kNN search that would run exactly on the GPU ran on the CPU (HNSW) instead, counted
 * since the JVM started. Each is logged at WARN by {@link KnnFallbackLog}: a node reason once, a
 * segment reason once per segment field. Solr shows the counts as {@code
 * whetstone.fallback.<name>}.
 */
public enum KnnFallback {
  /** The JDK has no final Foreign Function API (before 22): the node searches on the CPU. */
  NO_FFM("noFfm"),
  /** No GPU, no CUDA libraries, a jar built without the backend, or a failed start: the node. */
  BACKEND_UNAVAILABLE("backendUnavailable"),
  /** A CUDA error after the start: every later search on the node. */
  DEVICE_ERROR("deviceError"),
  /** A segment field's vectors do not fit in what is left of the memory budget. */
  MEMORY_BUDGET("memoryBudget"),
  /** The device ran out of memory for a segment field (vectors or search buffers). */
  OUT_OF_MEMORY("outOfMemory"),
  /** A segment field has a vector component beyond fp16's range, so it cannot be stored as fp16. */
  VECTORS_BEYOND_FP16("vectorsBeyondFp16"),
  /** A query has a component beyond fp16's range: that search of the segment. */
  QUERY_BEYOND_FP16("queryBeyondFp16"),
  /** k plus the rescoring margin exceeds {@link GpuVectorIndex#MAX_CANDIDATES}: that search. */
  K_TOO_LARGE("kTooLarge"),
  /** The segment's GPU copy was released under the search (its reader closing): that search. */
  RELEASED_DURING_SEARCH("releasedDuringSearch");

  /** Prefix of the metric names Solr shows the counts under. */
  public static final String METRIC_PREFIX = "whetstone.fallback.";

  private final String metricSuffix;
  private final LongAdder count = new LongAdder();

  KnnFallback(String metricSuffix) {
    this.metricSuffix = metricSuffix;
  }

  /** The name of this reason's count in Solr's metrics, {@code whetstone.fallback.<reason>}. */
  public String metricName() {
    return METRIC_PREFIX + metricSuffix;
  }

  /** Times this fallback happened since the JVM started. */
  public long count() {
    return count.sum();
  }

  void increment() {
    count.increment();
  }
}
