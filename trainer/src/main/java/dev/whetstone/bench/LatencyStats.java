package dev.whetstone.bench;

import java.util.Arrays;
import java.util.Locale;

/** Percentiles of a set of latencies, in milliseconds. */
public record LatencyStats(int count, double p50Millis, double p99Millis, double meanMillis) {

  public static LatencyStats ofNanos(long[] nanos) {
    if (nanos.length == 0) {
      throw new IllegalArgumentException("no latencies measured");
    }
    long[] sorted = nanos.clone();
    Arrays.sort(sorted);
    double sum = 0;
    for (long n : sorted) {
      sum += n;
    }
    return new LatencyStats(sorted.length, percentile(sorted, 0.50) / 1e6,
        percentile(sorted, 0.99) / 1e6, sum / sorted.length / 1e6);
  }

  /** Nearest-rank percentile. */
  static double percentile(long[] sorted, double p) {
    int rank = (int) Math.ceil(p * sorted.length);
    return sorted[Math.max(0, Math.min(sorted.length - 1, rank - 1))];
  }

  @Override
  public String toString() {
    return String.format(Locale.ROOT, "n=%d p50=%.2f ms p99=%.2f ms mean=%.2f ms", count,
        p50Millis, p99Millis, meanMillis);
  }
}
