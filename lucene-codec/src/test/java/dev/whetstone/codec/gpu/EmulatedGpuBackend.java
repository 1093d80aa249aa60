package dev.whetstone.codec.gpu;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntFunction;
import org.apache.lucene.index.FloatVectorValues;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.store.AlreadyClosedException;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.VectorUtil;

/**
 * A {@link GpuKnnBackend} on the CPU that does what the CUDA backend does, step by step: vectors
 * and queries rounded to fp16 (a field or query beyond its range stays on the CPU), keys that
 * order like the similarity, per-chunk filtering and top candidates, the filter as 64-bit words
 * (per-query filters converted by the caller, reused ones such as live docs kept in {@link
 * ReusedFilterSlots}), the merge of the chunks' candidates (on the device there), and batches
 * through {@link QueryCoalescer}. So the
 * reader's GPU path runs in CI without a GPU. Failures can be injected: into searches (by segment
 * size), uploads and closes; a memory budget counts vectors held.
 */
public final class EmulatedGpuBackend implements GpuKnnBackend {
  static final int CHUNK = 4096;

  /** Reused filters converted to words, over all indexes: each costs a pass over the bits. */
  final AtomicInteger reusedFilterConversions = new AtomicInteger();
  final List<Integer> batchSizes = new ArrayList<>();
  final List<Index> indexes = new ArrayList<>();
  /** Given an index's vector count, what its searches throw, or null for none. */
  volatile IntFunction<Exception> searchFailure = size -> null;
  volatile IntFunction<IOException> uploadFailure = size -> null;
  volatile boolean failClose;
  /** Vectors all open indexes may hold, as the CUDA backend's memory budget bytes. */
  volatile long vectorBudget = Long.MAX_VALUE;
  private long vectorsHeld;

  /** Every search fails as after a sticky CUDA error. */
  static EmulatedGpuBackend failingSearches() {
    EmulatedGpuBackend backend = new EmulatedGpuBackend();
    backend.searchFailure = size -> new IOException("simulated CUDA error: CUDA_ERROR_ILLEGAL_ADDRESS");
    return backend;
  }

  @Override
  public String device() {
    return "emulated";
  }

  @Override
  public GpuVectorIndex upload(FloatVectorValues values, VectorSimilarityFunction similarity)
      throws IOException, StaysOnCpuException {
    IOException failure = uploadFailure.apply(values.size());
    if (failure != null) {
      throw failure;
    }
    reserve(values.size());
    List<float[]> vectors = new ArrayList<>();
    List<Float> squaredNorms = new ArrayList<>();
    List<Integer> docs = new ArrayList<>();
    for (int doc = values.nextDoc(); doc != DocIdSetIterator.NO_MORE_DOCS; doc = values.nextDoc()) {
      float[] vector = values.vectorValue();
      if (!Fp16.inRange(vector)) {
        release(values.size());
        throw new StaysOnCpuException(KnnFallback.VECTORS_BEYOND_FP16, "document " + doc
            + " has a component beyond fp16's range");
      }
      vectors.add(fp16(vector));
      // as the CUDA backend: norms from the exact vector
      squaredNorms.add(VectorUtil.dotProduct(vector, vector));
      docs.add(doc);
    }
    Index index = new Index(vectors, squaredNorms, docs, similarity);
    synchronized (indexes) {
      indexes.add(index);
    }
    return index;
  }

  private synchronized void reserve(int vectors) throws StaysOnCpuException {
    if (vectorsHeld + vectors > vectorBudget) {
      throw new StaysOnCpuException(KnnFallback.MEMORY_BUDGET, vectors + " vectors, "
          + vectorsHeld + " of " + vectorBudget + " held");
    }
    vectorsHeld += vectors;
  }

  private synchronized void release(int vectors) {
    vectorsHeld -= vectors;
  }

  /** Indexes of at least {@code size} vectors. */
  List<Index> indexesOfAtLeast(int size) {
    List<Index> found = new ArrayList<>();
    synchronized (indexes) {
      for (Index index : indexes) {
        if (index.vectors.size() >= size) {
          found.add(index);
        }
      }
    }
    return found;
  }

  private static final class Request {
    final float[] target;
    final int count;
    final Bits acceptDocs;
    final long[] filterWords;
    int[] result;

    Request(float[] target, int count, Bits acceptDocs, long[] filterWords) {
      this.target = target;
      this.count = count;
      this.acceptDocs = acceptDocs;
      this.filterWords = filterWords;
    }
  }

  private static float[] fp16(float[] vector) {
    float[] rounded = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      rounded[i] = Fp16.round(vector[i]);
    }
    return rounded;
  }

  final class Index implements GpuVectorIndex {
    /** Rounded to fp16. */
    final List<float[]> vectors;
    final List<Float> squaredNorms;
    final List<Integer> docs;
    final VectorSimilarityFunction similarity;
    final QueryCoalescer<Request> coalescer = new QueryCoalescer<>(this::runBatch, 8, 2, 0);
    final ReusedFilterSlots filterSlots = new ReusedFilterSlots(ReusedFilterSlots.DEFAULT_SLOTS);
    final long[][] slotWords = new long[ReusedFilterSlots.DEFAULT_SLOTS][];
    final AtomicInteger searches = new AtomicInteger();
    volatile boolean closed;

    Index(List<float[]> vectors, List<Float> squaredNorms, List<Integer> docs,
        VectorSimilarityFunction similarity) {
      this.vectors = vectors;
      this.squaredNorms = squaredNorms;
      this.docs = docs;
      this.similarity = similarity;
    }

    @Override
    public int[] search(float[] target, int count, Bits acceptDocs) throws IOException {
      if (closed) {
        throw new AlreadyClosedException("GPU vectors already released");
      }
      if (!Fp16.inRange(target)) {
        return null;
      }
      searches.incrementAndGet();
      // as the CUDA backend: a per-query filter is converted by its caller, a reused one in the batch
      long[] words = acceptDocs instanceof BitSet ? DocBitset.words(acceptDocs) : null;
      Request request = new Request(target, count, acceptDocs, words);
      coalescer.run(request);
      return request.result;
    }

    private void runBatch(List<Request> batch) throws IOException {
      synchronized (batchSizes) {
        batchSizes.add(batch.size());
      }
      ReusedFilterSlots.Batch slots = filterSlots.startBatch();
      boolean succeeded = false;
      try {
        Exception failure = searchFailure.apply(vectors.size());
        if (failure instanceof IOException) {
          throw (IOException) failure;
        } else if (failure != null) {
          throw (RuntimeException) failure;
        }
        for (Request request : batch) {
          request.result = select(fp16(request.target), request.count, filter(request, slots));
        }
        succeeded = true;
      } finally {
        filterSlots.endBatch(slots, succeeded);
      }
    }

    private long[] filter(Request request, ReusedFilterSlots.Batch slots) {
      if (request.acceptDocs == null || request.filterWords != null) {
        return request.filterWords;
      }
      ReusedFilterSlots.Slot slot = filterSlots.slotFor(slots, request.acceptDocs);
      if (slot == null) {
        return DocBitset.words(request.acceptDocs);
      }
      if (slot.fill()) {
        reusedFilterConversions.incrementAndGet();
        slotWords[slot.index()] = DocBitset.words(request.acceptDocs);
      }
      return slotWords[slot.index()];
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

    /** As the kernel: dot, dot / |v| for cosine, 2 dot - |v|^2 for euclidean; fp16 dots. */
    private float key(float[] target, int ord) {
      float dot = VectorUtil.dotProduct(target, vectors.get(ord));
      switch (similarity) {
        case COSINE:
          float norm = (float) Math.sqrt(squaredNorms.get(ord));
          return norm > 0 ? dot / norm : 0;
        case EUCLIDEAN:
          return 2 * dot - squaredNorms.get(ord);
        default:
          return dot;
      }
    }

    @Override
    public void close() throws IOException {
      if (!closed) {
        release(vectors.size());
      }
      closed = true;
      if (failClose) {
        throw new IOException("simulated sticky CUDA error: cuMemFree failed: CUDA_ERROR_ILLEGAL_ADDRESS");
      }
    }
  }
}
