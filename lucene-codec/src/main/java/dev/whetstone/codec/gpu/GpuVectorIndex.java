package dev.whetstone.codec.gpu;

import java.io.Closeable;
import java.io.IOException;
import org.apache.lucene.util.Bits;

/** One segment field's vectors on the GPU. Thread-safe; {@link #close} frees the device memory. */
public interface GpuVectorIndex extends Closeable {
  /** Most candidates one search may ask for; larger k is served on the CPU. */
  int MAX_CANDIDATES = 1024;

  /**
   * Candidates beyond k a search asks for, to be rescored on the CPU with Lucene's similarity.
   * The GPU scores fp16 vectors and queries; measured (lucene-codec-bench's {@code Fp16Margin},
   * docs/benchmarks.md), no query needed more than 2 extra for its fp16 top (k + margin) to hold
   * every member of the exact fp32 top k (k = 1, 10, 100; random unit vectors and SciFact's
   * MiniLM embeddings): 16 leaves room for the device's own summation order.
   */
  int RESCORE_MARGIN = 16;

  /**
   * The ordinals of the {@code count} vectors closest to {@code target} by the GPU's scores, among
   * those whose document {@code acceptDocs} accepts (all when null), best first; fewer when fewer
   * are accepted. Ordinals are those of the segment's {@code FloatVectorValues} iteration order.
   *
   * @return the ordinals, or null when this index cannot score {@code target} (a component beyond
   *     fp16's range): that search then runs on the CPU
   * @throws IOException on a CUDA error
   */
  int[] search(float[] target, int count, Bits acceptDocs) throws IOException;
}
