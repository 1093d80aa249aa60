package dev.whetstone.codec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * A {@link GpuKnnBackend} on the CPU that does what the CUDA backend does, step by step: keys that
 * order like the similarity, per-chunk filtering and top candidates, the filter as 64-bit words,
 * the host-side merge, and batches through {@link QueryCoalescer}. So the reader's GPU path runs in
 * CI without a GPU; or, with {@code failSearches}, a backend whose every search fails.
 */
final class EmulatedGpuBackend implements GpuKnnBackend {
  static final int CHUNK = 4096;

  private final boolean failSearches;
  final List<Integer> batchSizes = new ArrayList<>();

  EmulatedGpuBackend(boolean failSearches) {
    this.failSearches = failSearches;
  }

  @Override
  public String device() {
    return "emulated";
  }

  @Override
  public GpuVectorIndex upload(FloatVectorValues values, VectorSimilarityFunction similarity)
      throws IOException {
    List<float[]> vectors = new ArrayList<>();
    List<Integer> docs = new ArrayList<>();
    for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
      vectors.add(values.vectorValue().clone());
      docs.add(doc);
    }
    return new Index(vectors, docs, similarity);
  }

  private final class Index implements GpuVectorIndex {
    final List<float[]> vectors;
    final List<Integer> docs;
    final VectorSimilarityFunction similarity;
    final QueryCoalescer<Object[]> coalescer = new QueryCoalescer<>(this::runBatch, 8, 0);

    Index(List<float[]> vectors, List<Integer> docs, VectorSimilarityFunction similarity) {
      this.vectors = vectors;
      this.docs = docs;
      this.similarity = similarity;
    }

    @Override
    public int[] search(float[] target, int count, Bits acceptDocs) throws IOException {
      if (failSearches) {
        throw new IOException("simulated CUDA error: CUDA_ERROR_ILLEGAL_ADDRESS");
      }
      Object[] request = {target, count, acceptDocs == null ? null : DocBitset.words(acceptDocs), null};
      coalescer.run(request);
      return (int[]) request[3];
    }

    private void runBatch(List<Object[]> batch) {
      synchronized (batchSizes) {
        batchSizes.add(batch.size());
      }
      for (Object[] request : batch) {
        request[3] = select((float[]) request[0], (Integer) request[1], (long[]) request[2]);
      }
    }

    private int[] select(float[] target, int count, long[] filter) {
      int n = vectors.size();
      int blocks = (n + CHUNK - 1) / CHUNK;
      float[] keys = new float[blocks * count];
      int[] ords = new int[blocks * count];
      Arrays.fill(ords, -1);
      float[] all = new float[n];
      for (int ord = 0; ord < n; ord++) {
        all[ord] = key(target, ord);
      }
      for (int block = 0; block < blocks; block++) {
        List<Integer> chunk = new ArrayList<>();
        for (int ord = block * CHUNK; ord < Math.min(n, (block + 1) * CHUNK); ord++) {
          int doc = docs.get(ord);
          if (filter == null || (filter[doc >>> 6] >>> doc & 1L) != 0) {
            chunk.add(ord);
          }
        }
        chunk.sort((a, b) -> Float.compare(all[b], all[a]));
        for (int i = 0; i < Math.min(count, chunk.size()); i++) {
          keys[block * count + i] = all[chunk.get(i)];
          ords[block * count + i] = chunk.get(i);
        }
      }
      return TopCandidates.best(keys, ords, keys.length, count);
    }

    /** As the kernel: dot, dot / |v| for cosine, 2 dot - |v|^2 for euclidean. */
    private float key(float[] target, int ord) {
      float[] v = vectors.get(ord);
      float dot = VectorUtil.dotProduct(target, v);
      switch (similarity) {
        case COSINE:
          float norm = (float) Math.sqrt(VectorUtil.dotProduct(v, v));
          return norm > 0 ? dot / norm : 0;
        case EUCLIDEAN:
          return 2 * dot - VectorUtil.dotProduct(v, v);
        default:
          return dot;
      }
    }

    @Override
    public void close() {}
  }
}
