package dev.whetstone.codec.gpu;

import static dev.whetstone.codec.KnnAssertions.assertSameTopK;

import dev.whetstone.codec.RandomVectorIndex;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.junit.Before;

/**
 * GPU top-k equals CPU exact top-k (ties aside), on random vectors, with deletions and filters,
 * for each similarity, single and concurrent. Subclasses supply the backend.
 */
public abstract class GpuTopKTestCase extends LuceneTestCase {
  /** The node whose backend is under test; the indexes a test makes search on it. */
  protected GpuKnn node;

  /** A node with the backend under test, or skips the test (with the reason) when there is none. */
  protected abstract GpuKnn newNode();

  @Before
  public void setUpNode() {
    node = newNode(); // every segment goes to it, however small: RandomVectorIndex's field says so
  }

  public void testDotProduct() throws Exception {
    checkAgainstCpuExact(VectorSimilarityFunction.DOT_PRODUCT);
  }

  public void testCosine() throws Exception {
    checkAgainstCpuExact(VectorSimilarityFunction.COSINE);
  }

  public void testEuclidean() throws Exception {
    checkAgainstCpuExact(VectorSimilarityFunction.EUCLIDEAN);
  }

  public void testMaximumInnerProduct() throws Exception {
    checkAgainstCpuExact(VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT);
  }

  private void checkAgainstCpuExact(VectorSimilarityFunction similarity) throws Exception {
    // more vectors than one kernel block (4096) in the largest segment
    try (RandomVectorIndex index = newIndex(similarity)) {
      long gpuBefore = node.gpuSearches();
      for (int i = 0; i < 5; i++) {
        float[] target = index.randomVector();
        for (Query filter : RandomVectorIndex.filters()) {
          for (int k : new int[] {1, 10, 100}) {
            String what = similarity + " query " + i + " k=" + k + " filter=" + filter;
            assertSameTopK(what, index.search(KnnSearchMode.EXACT, target, k, filter),
                index.search(KnnSearchMode.AUTO, target, k, filter));
          }
        }
      }
      assertTrue("searches ran on the GPU path", node.gpuSearches() > gpuBefore);
    }
  }

  /**
   * Queries from 8 threads, batched together (and, where the backend pipelines, two batches on one
   * segment at once), with k = 10 and 100 mixed in a batch and the filters of {@link
   * RandomVectorIndex#filters}: none (the live docs only, a reused filter) and two per-query ones.
   */
  public void testConcurrentQueriesGetTheirOwnResults() throws Exception {
    try (RandomVectorIndex index = newIndex(VectorSimilarityFunction.COSINE)) {
      checkConcurrentQueries(index);
    }
  }

  /** What {@link #testConcurrentQueriesGetTheirOwnResults} checks, on {@code index}. */
  protected static void checkConcurrentQueries(RandomVectorIndex index) throws Exception {
    int queries = 64;
    List<float[]> targets = new ArrayList<>();
    List<Query> filters = new ArrayList<>();
    List<Integer> ks = new ArrayList<>();
    List<TopDocs> expected = new ArrayList<>();
    for (int i = 0; i < queries; i++) {
      targets.add(index.randomVector());
      filters.add(RandomVectorIndex.filters().get(i % 3));
      ks.add(i % 2 == 0 ? 10 : 100);
      expected.add(index.search(KnnSearchMode.EXACT, targets.get(i), ks.get(i), filters.get(i)));
    }
    AtomicReference<Throwable> failure = new AtomicReference<>();
    List<Thread> threads = new ArrayList<>();
    int threadCount = 8;
    for (int t = 0; t < threadCount; t++) {
      int first = t;
      threads.add(new Thread(() -> {
        try {
          for (int i = first; i < queries; i += threadCount) {
            TopDocs actual = index.searcher.search(new org.apache.lucene.search.KnnFloatVectorQuery(
                RandomVectorIndex.FIELD, targets.get(i), ks.get(i), filters.get(i)), ks.get(i));
            assertSameTopK("query " + i, expected.get(i), actual);
          }
        } catch (Throwable e) {
          failure.compareAndSet(null, e);
        }
      }));
    }
    for (Thread thread : threads) {
      thread.start();
    }
    for (Thread thread : threads) {
      thread.join();
    }
    if (failure.get() != null) {
      throw new AssertionError(failure.get());
    }
  }

  private RandomVectorIndex newIndex(VectorSimilarityFunction similarity) throws Exception {
    return new RandomVectorIndex(node, newDirectory(), newIndexWriterConfig(), random(),
        similarity, atLeast(7000), 8 + random().nextInt(40));
  }
}
