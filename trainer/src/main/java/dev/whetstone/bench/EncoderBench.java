package dev.whetstone.bench;

import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import java.io.PrintStream;
import java.util.List;
import java.util.Locale;

/**
 * Encoder throughput against raw ONNX Runtime on the same texts and batches, and single-query
 * embedding latency. Prints one line per figure.
 */
public final class EncoderBench {
  private final ModelDirectory model;
  private final PrintStream out;

  public EncoderBench(ModelDirectory model, PrintStream out) {
    this.model = model;
    this.out = out;
  }

  /** Documents per second of the Encoder and of raw ONNX Runtime, best of {@code rounds}. */
  public void throughput(List<String> documents, int batchSize, int rounds) throws Exception {
    try (Encoder encoder = Encoder.load(model);
        RawOrtEncoder raw = new RawOrtEncoder(model)) {
      // warm-up: first runs allocate ONNX Runtime's arenas
      List<String> warmup = documents.subList(0, Math.min(documents.size(), 2 * batchSize));
      encoder.encodeDocuments(warmup, batchSize);
      raw.encodeDocuments(warmup, batchSize);
      double bestEncoder = 0;
      double bestRaw = 0;
      float[][] viaEncoder = null;
      float[][] viaRaw = null;
      for (int round = 0; round < rounds; round++) {
        long t0 = System.nanoTime();
        viaEncoder = encoder.encodeDocuments(documents, batchSize);
        long t1 = System.nanoTime();
        viaRaw = raw.encodeDocuments(documents, batchSize);
        long t2 = System.nanoTime();
        bestEncoder = Math.max(bestEncoder, documents.size() / ((t1 - t0) / 1e9));
        bestRaw = Math.max(bestRaw, documents.size() / ((t2 - t1) / 1e9));
      }
      out.printf(Locale.ROOT, "encoder  %s docs=%d batch=%d: %.1f docs/s (Whetstone Encoder, DJL)%n",
          model.manifest().name(), documents.size(), batchSize, bestEncoder);
      out.printf(Locale.ROOT, "encoder  %s docs=%d batch=%d: %.1f docs/s (raw ONNX Runtime Java API)%n",
          model.manifest().name(), documents.size(), batchSize, bestRaw);
      out.printf(Locale.ROOT, "encoder  ratio Encoder/raw = %.3f; max |difference| of vectors = %.2e%n",
          bestEncoder / bestRaw, maxAbsDifference(viaEncoder, viaRaw));
    }
  }

  /**
   * Documents per second of the encoder alone, as Solr's registry loads it (default threads: one
   * per available processor), one pass after a warm-up: what indexing through the processor is
   * compared with.
   */
  public double encoderAlone(List<String> documents, int batchSize) throws Exception {
    try (Encoder encoder = Encoder.load(model)) {
      encoder.encodeDocuments(documents.subList(0, Math.min(documents.size(), 2 * batchSize)), batchSize);
      long start = System.nanoTime();
      encoder.encodeDocuments(documents, batchSize);
      double docsPerSecond = documents.size() / ((System.nanoTime() - start) / 1e9);
      out.printf(Locale.ROOT, "encoder  %s alone, docs=%d batch=%d: %.1f docs/s%n",
          model.manifest().name(), documents.size(), batchSize, docsPerSecond);
      return docsPerSecond;
    }
  }

  /** Latency of embedding one query at a time (no cache), after a warm-up pass. */
  public LatencyStats queryLatency(List<String> queries) throws Exception {
    try (Encoder encoder = Encoder.load(model)) {
      queries.stream().limit(20).forEach(encoder::encodeQuery);
      long[] nanos = new long[queries.size()];
      for (int i = 0; i < nanos.length; i++) {
        long t0 = System.nanoTime();
        encoder.encodeQuery(queries.get(i));
        nanos[i] = System.nanoTime() - t0;
      }
      LatencyStats stats = LatencyStats.ofNanos(nanos);
      out.printf(Locale.ROOT, "query-embed %s: %s%n", model.manifest().name(), stats);
      return stats;
    }
  }

  private static double maxAbsDifference(float[][] a, float[][] b) {
    double max = 0;
    for (int i = 0; i < a.length; i++) {
      for (int d = 0; d < a[i].length; d++) {
        max = Math.max(max, Math.abs(a[i][d] - b[i][d]));
      }
    }
    return max;
  }
}
