package dev.whetstone.codec.bench;

import dev.whetstone.codec.gpu.Fp16;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import org.apache.lucene.util.NumericUtils;
import org.apache.lucene.util.VectorUtil;

/**
 * How many candidates beyond k an fp16 scan must return so that rescoring them exactly gives the
 * fp32 top k. The GPU stores vectors and queries as fp16 and sums their products in fp32 (cuBLAS
 * GemmEx); the reader then rescores the best k + margin with Lucene's similarity. Here, per query,
 * the exact top k is taken by fp32 dot product ({@link VectorUtil#dotProduct}, ties to the lower
 * ordinal) and each member's position in the fp16 order is found, ties counted against it (the
 * device breaks them in no particular order). A member placed after k + margin is a miss.
 *
 * <pre>
 * java -cp lucene-core.jar:whetstone-lucene-codec.jar:whetstone-lucene-codec-bench.jar \
 *     dev.whetstone.codec.bench.Fp16Margin \
 *     --random 100000 --dim 384 --queries 200 [--seed 1]
 * java ... dev.whetstone.codec.bench.Fp16Margin --docs DOCS.vec --query-file QUERIES.vec
 * </pre>
 */
public final class Fp16Margin {
  public static final int[] KS = {1, 10, 100};
  public static final int[] MARGINS = {0, 8, 16, 32, 64};

  /**
   * One (k, margin) cell: queries with at least one missed member, members missed in all, and the
   * largest margin any query needed at this k.
   */
  public record Row(int k, int margin, int queriesMissing, long membersMissed, int queries,
      int worstNeeded) {}

  private Fp16Margin() {}

  /**
   * For each query, the fp16 positions (1-based, ties against) of its exact top {@code k}
   * members, best member first; the query needs a margin of the largest minus k.
   */
  public static int[][] fp16Positions(float[][] docs, float[][] queries, int k) {
    float[][] docs16 = rounded(docs);
    int members = Math.min(k, docs.length);
    int[][] positions = new int[queries.length][members];
    float[] fp16 = new float[docs.length];
    float[] sorted16 = new float[docs.length];
    long[] exact = new long[docs.length];
    for (int q = 0; q < queries.length; q++) {
      float[] query16 = rounded(queries[q]);
      for (int d = 0; d < docs.length; d++) {
        // sorted ascending, the best is last and the lower ordinal comes first among equals
        exact[d] = (long) NumericUtils.floatToSortableInt(
            VectorUtil.dotProduct(queries[q], docs[d])) << 32 | (Integer.MAX_VALUE - d);
        fp16[d] = VectorUtil.dotProduct(query16, docs16[d]);
      }
      Arrays.sort(exact);
      System.arraycopy(fp16, 0, sorted16, 0, fp16.length);
      Arrays.sort(sorted16);
      for (int m = 0; m < members; m++) {
        int ord = Integer.MAX_VALUE - (int) exact[docs.length - 1 - m];
        positions[q][m] = atOrAbove(sorted16, fp16[ord]);
      }
    }
    return positions;
  }

  /** The table: for each k, each margin. */
  public static List<Row> measure(float[][] docs, float[][] queries, int[] ks, int[] margins) {
    int[][] positions = fp16Positions(docs, queries, Arrays.stream(ks).max().orElse(0));
    List<Row> rows = new ArrayList<>();
    for (int k : ks) {
      int worstNeeded = 0;
      for (int[] query : positions) {
        for (int m = 0; m < Math.min(k, query.length); m++) {
          worstNeeded = Math.max(worstNeeded, query[m] - k);
        }
      }
      for (int margin : margins) {
        int queriesMissing = 0;
        long membersMissed = 0;
        for (int[] query : positions) {
          int missed = 0;
          for (int m = 0; m < Math.min(k, query.length); m++) {
            missed += query[m] > k + margin ? 1 : 0;
          }
          queriesMissing += missed > 0 ? 1 : 0;
          membersMissed += missed;
        }
        rows.add(new Row(k, margin, queriesMissing, membersMissed, queries.length, worstNeeded));
      }
    }
    return rows;
  }

  /** How many of {@code ascending} are at least {@code score}. */
  private static int atOrAbove(float[] ascending, float score) {
    int low = 0;
    int high = ascending.length;
    while (low < high) { // first index whose value is >= score
      int mid = (low + high) >>> 1;
      if (ascending[mid] < score) {
        low = mid + 1;
      } else {
        high = mid;
      }
    }
    return ascending.length - low;
  }

  private static float[][] rounded(float[][] vectors) {
    float[][] out = new float[vectors.length][];
    for (int i = 0; i < vectors.length; i++) {
      out[i] = rounded(vectors[i]);
    }
    return out;
  }

  private static float[] rounded(float[] vector) {
    float[] out = new float[vector.length];
    for (int i = 0; i < vector.length; i++) {
      out[i] = Fp16.round(vector[i]);
    }
    return out;
  }

  public static void print(List<Row> rows, PrintStream out) {
    out.println("| k | margin | queries missing a top-k member | members missed "
        + "| worst margin needed |");
    out.println("|---|---|---|---|---|");
    for (Row row : rows) {
      out.printf(Locale.ROOT, "| %d | %d | %d / %d | %d | %d |%n", row.k, row.margin,
          row.queriesMissing, row.queries, row.membersMissed, row.worstNeeded);
    }
  }

  public static void main(String[] args) throws IOException {
    float[][] docs;
    float[][] queries;
    String what;
    Options options = Options.parse(args);
    if (options.docs != null) {
      docs = VecFile.read(options.docs);
      queries = VecFile.read(options.queryFile);
      if (options.queries > 0 && options.queries < queries.length) {
        queries = Arrays.copyOf(queries, options.queries);
      }
      what = options.docs.getFileName() + " (" + docs.length + " x " + docs[0].length + "), "
          + queries.length + " queries of " + options.queryFile.getFileName();
    } else {
      docs = SyntheticVectors.unitVectors(options.random, options.dim, options.seed);
      queries = SyntheticVectors.unitVectors(options.queries, options.dim, options.seed + 1);
      what = "random unit vectors " + options.random + " x " + options.dim + ", " + options.queries
          + " queries, seed " + options.seed;
    }
    long start = System.nanoTime();
    List<Row> rows = measure(docs, queries, KS, MARGINS);
    System.out.println("fp16 margin: " + what + " (" + String.format(Locale.ROOT, "%.1f s",
        (System.nanoTime() - start) / 1e9) + ")");
    print(rows, System.out);
  }

  private record Options(Path docs, Path queryFile, int random, int dim, int queries, long seed) {
    static Options parse(String[] args) {
      BenchArgs options =
          BenchArgs.parse(args, "docs", "query-file", "random", "dim", "queries", "seed");
      Path docs = options.path("docs", null);
      Path queryFile = options.path("query-file", null);
      int random = options.intValue("random", 100_000);
      int dim = options.intValue("dim", 384);
      int queries = options.intValue("queries", 200);
      long seed = options.longValue("seed", 1);
      if ((docs == null) != (queryFile == null)) {
        throw new IllegalArgumentException("--docs and --query-file go together");
      }
      return new Options(docs, queryFile, random, dim, queries, seed);
    }
  }
}
