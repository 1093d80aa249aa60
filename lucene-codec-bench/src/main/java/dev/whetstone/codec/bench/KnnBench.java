package dev.whetstone.codec.bench;

import dev.whetstone.codec.gpu.KnnSearchMode;
import dev.whetstone.codec.SearchModeReader;
import dev.whetstone.codec.WhetstoneKnnVectorsFormat;
import dev.whetstone.codec.gpu.GpuKnn;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * kNN latency, throughput and recall of GPU exact, CPU exact and CPU HNSW search over random unit
 * vectors (dot product) in one merged segment, through Lucene's {@code KnnFloatVectorQuery}. The
 * vectors are clustered (a random centre plus noise), like embeddings; uniformly random vectors
 * in 384 dimensions are all about equally far apart, where HNSW finds few true neighbours.
 *
 * <pre>
 * java -cp lucene-core.jar:whetstone-lucene-codec.jar:whetstone-lucene-codec-bench.jar \
 *     dev.whetstone.codec.bench.KnnBench \
 *     [--sizes 100000,1000000] [--dim 384] [--queries 1000] [--threads 16] [--k 10] [--dir /tmp/knn-bench]
 * </pre>
 *
 * Recall@k is against CPU exact. A mode is skipped where it cannot run (GPU exact without a GPU).
 */
public final class KnnBench {
  private static final String FIELD = "v";

  private final int dim;
  private final int queryCount;
  private final int threads;
  private final int k;
  private final Path dir;
  private final float[][] centres;

  private KnnBench(int dim, int queryCount, int threads, int k, Path dir) {
    this.dim = dim;
    this.queryCount = queryCount;
    this.threads = threads;
    this.k = k;
    this.dir = dir;
    Random random = new Random(1);
    this.centres = new float[1000][];
    for (int i = 0; i < centres.length; i++) {
      centres[i] = gaussian(random, 1f);
    }
  }

  public static void main(String[] args) throws Exception {
    BenchArgs options = BenchArgs.parse(args, "sizes", "dim", "queries", "threads", "k", "dir");
    int[] sizes = options.intList("sizes", new int[] {100_000, 1_000_000});
    int dim = options.intValue("dim", 384);
    int queries = options.intValue("queries", 1000);
    int threads = options.intValue("threads", 16);
    int k = options.intValue("k", 10);
    Path dir = options.path("dir", Path.of(System.getProperty("java.io.tmpdir"), "knn-bench"));
    GpuKnn gpu = GpuKnn.node(); // the index is read through SPI, so on this JVM's node
    System.out.println("JDK " + Runtime.version() + ", " + Runtime.getRuntime().availableProcessors()
        + " CPUs; GPU: " + (gpu.backend() != null ? "on" : "none (" + gpu.unavailableReason() + ")"));
    KnnBench bench = new KnnBench(dim, queries, threads, k, dir);
    for (int size : sizes) {
      bench.run(size);
    }
  }

  private void run(int size) throws Exception {
    Path indexDir = dir.resolve(size + "x" + dim);
    Random random = new Random(42);
    long start = System.nanoTime();
    try (Directory directory = FSDirectory.open(indexDir)) {
      if (!DirectoryReader.indexExists(directory)) {
        index(directory, size, random);
        System.out.printf(Locale.ROOT, "%,d x %d: indexed and merged to one segment in %.1f s%n",
            size, dim, seconds(start));
      }
      List<float[]> queries = new ArrayList<>();
      Random queryRandom = new Random(7);
      for (int i = 0; i < queryCount; i++) {
        queries.add(randomUnitVector(queryRandom));
      }
      try (DirectoryReader reader = DirectoryReader.open(directory)) {
        IndexSearcher searcher = new IndexSearcher(reader);
        IndexSearcher exact =
            new IndexSearcher(SearchModeReader.wrap(reader, KnnSearchMode.EXACT));
        IndexSearcher hnsw = new IndexSearcher(SearchModeReader.wrap(reader, KnnSearchMode.HNSW));
        List<Set<Integer>> truth = new ArrayList<>();
        for (float[] q : queries) {
          truth.add(docs(exact.search(new KnnFloatVectorQuery(FIELD, q, k), k)));
        }
        System.out.printf(Locale.ROOT, "%n%,d x %d, k=%d, %d queries%n", size, dim, k, queryCount);
        System.out.println("| mode | threads | recall@" + k + " | QPS | p50 ms | p99 ms |");
        System.out.println("|---|---|---|---|---|---|");
        GpuKnn gpu = GpuKnn.node();
        if (gpu.backend() != null) {
          long upload = System.nanoTime();
          long gpuBefore = gpu.gpuSearches();
          searcher.search(new KnnFloatVectorQuery(FIELD, queries.get(0), k), k);
          double uploadSeconds = seconds(upload);
          if (gpu.gpuSearches() == gpuBefore) {
            System.out.println("GPU exact: the segment stayed on the CPU (budget, minVectors or error: "
                + gpu.unavailableReason() + ")");
          } else {
            System.out.printf(Locale.ROOT, "(first GPU query, including the upload: %.2f s)%n", uploadSeconds);
            Result single = measure(searcher, queries, truth, 1);
            Result concurrent = measure(searcher, queries, truth, threads);
            print("GPU exact", 1, single);
            print("GPU exact", threads, concurrent);
            double bytes = (double) size * dim * Float.BYTES;
            System.out.printf(Locale.ROOT,
                "GPU scan: %.0f GB/s at the single-query p50 (vector bytes / latency)%n",
                bytes / (single.p50Ms / 1000) / 1e9);
          }
        }
        print("CPU exact", 1, measure(exact, queries, truth, 1));
        print("CPU exact", threads, measure(exact, queries, truth, threads));
        print("CPU HNSW", 1, measure(hnsw, queries, truth, 1));
        print("CPU HNSW", threads, measure(hnsw, queries, truth, threads));
      }
    }
  }

  /**
   * Adds the documents from {@code threads} threads, so each builds the HNSW graph of its own
   * segment at the same time, then merges them into one segment, inserting into the largest graph
   * on {@code threads} merge workers: one indexing thread would build the whole graph alone.
   */
  private void index(Directory directory, int size, Random random) throws Exception {
    long start = System.nanoTime();
    List<float[]> vectors = new ArrayList<>(size);
    for (int i = 0; i < size; i++) {
      vectors.add(randomUnitVector(random));
    }
    ExecutorService mergeExec = Executors.newFixedThreadPool(threads);
    ExecutorService indexExec = Executors.newFixedThreadPool(threads);
    try {
      // Lucene refuses a merge executor for a single merge worker
      KnnVectorsFormat format = threads > 1
          ? new WhetstoneKnnVectorsFormat(16, 100, threads, mergeExec)
          : new WhetstoneKnnVectorsFormat(16, 100);
      IndexWriterConfig config = new IndexWriterConfig()
          .setRAMBufferSizeMB(1024)
          .setCodec(new Lucene912Codec() {
            @Override
            public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
              return format;
            }
          });
      try (IndexWriter writer = new IndexWriter(directory, config)) {
        AtomicInteger added = new AtomicInteger();
        List<Future<?>> futures = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
          int first = t;
          futures.add(indexExec.submit(() -> {
            for (int i = first; i < size; i += threads) {
              Document doc = new Document();
              doc.add(new KnnFloatVectorField(FIELD, vectors.get(i),
                  VectorSimilarityFunction.DOT_PRODUCT));
              writer.addDocument(doc);
              int count = added.incrementAndGet();
              if (count % 100_000 == 0) {
                System.out.printf(Locale.ROOT, "  indexed %,d / %,d%n", count, size);
              }
            }
            return null;
          }));
        }
        for (Future<?> f : futures) {
          f.get();
        }
        System.out.printf(Locale.ROOT, "  added from %d threads (a graph per segment) in %.1f s; "
            + "merging to one segment (HNSW merge on %d threads)%n", threads, seconds(start), threads);
        writer.forceMerge(1);
      }
    } finally {
      indexExec.shutdown();
      mergeExec.shutdown();
    }
  }

  private record Result(double recall, double qps, double p50Ms, double p99Ms) {}

  private Result measure(IndexSearcher searcher, List<float[]> queries, List<Set<Integer>> truth,
      int threadCount) throws Exception {
    // warm up: JIT, page cache, GPU batches
    for (int i = 0; i < Math.min(20, queries.size()); i++) {
      searcher.search(new KnnFloatVectorQuery(FIELD, queries.get(i), k), k);
    }
    long[] latencies = new long[queries.size()];
    int[] hits = new int[queries.size()];
    ExecutorService pool = Executors.newFixedThreadPool(threadCount);
    long start = System.nanoTime();
    try {
      List<Future<?>> futures = new ArrayList<>();
      for (int t = 0; t < threadCount; t++) {
        int first = t;
        futures.add(pool.submit(() -> {
          for (int i = first; i < queries.size(); i += threadCount) {
            long begin = System.nanoTime();
            TopDocs top = searcher.search(new KnnFloatVectorQuery(FIELD, queries.get(i), k), k);
            latencies[i] = System.nanoTime() - begin;
            Set<Integer> found = docs(top);
            found.retainAll(truth.get(i));
            hits[i] = found.size();
          }
          return null;
        }));
      }
      for (Future<?> f : futures) {
        f.get();
      }
    } finally {
      pool.shutdown();
    }
    double wall = seconds(start);
    Arrays.sort(latencies);
    long totalHits = Arrays.stream(hits).asLongStream().sum();
    long expected = truth.stream().mapToLong(Set::size).sum();
    return new Result((double) totalHits / expected, queries.size() / wall,
        latencies[latencies.length / 2] / 1e6, latencies[(int) (latencies.length * 0.99)] / 1e6);
  }

  private static void print(String mode, int threads, Result r) {
    System.out.printf(Locale.ROOT, "| %s | %d | %.4f | %.1f | %.3f | %.3f |%n", mode, threads,
        r.recall, r.qps, r.p50Ms, r.p99Ms);
  }

  private static Set<Integer> docs(TopDocs top) {
    Set<Integer> docs = new HashSet<>();
    for (ScoreDoc d : top.scoreDocs) {
      docs.add(d.doc);
    }
    return docs;
  }

  private float[] randomUnitVector(Random random) {
    float[] v = gaussian(random, 0.6f);
    float[] centre = centres[random.nextInt(centres.length)];
    for (int i = 0; i < dim; i++) {
      v[i] += centre[i];
    }
    VectorUtil.l2normalize(v);
    return v;
  }

  private float[] gaussian(Random random, float scale) {
    float[] v = new float[dim];
    for (int i = 0; i < dim; i++) {
      v[i] = (float) random.nextGaussian() * scale;
    }
    return v;
  }

  private static double seconds(long startNanos) {
    return (System.nanoTime() - startNanos) / 1e9;
  }
}
