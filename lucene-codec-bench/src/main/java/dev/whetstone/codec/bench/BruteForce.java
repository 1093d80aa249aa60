package dev.whetstone.codec.bench;

import java.util.HashSet;
import java.util.Set;
import java.util.stream.IntStream;
import org.apache.lucene.util.VectorUtil;

/** Exact dot-product neighbours on the CPU, the reference a GPU's answers are checked against. */
public final class BruteForce {
  private BruteForce() {}

  /** For each query, the ordinals of its {@code k} best vectors, best first. */
  public static int[][] topK(float[][] vectors, float[][] queries, int k) {
    int[] all = IntStream.range(0, vectors.length).toArray();
    int[][] truth = new int[queries.length][];
    for (int q = 0; q < queries.length; q++) {
      truth[q] = best(vectors, queries[q], all, k);
    }
    return truth;
  }

  /** The {@code k} best of {@code candidates} for {@code query}, best first, as the reader does. */
  public static int[] rescore(float[][] vectors, float[] query, int[] candidates, int k) {
    return best(vectors, query, candidates, k);
  }

  /**
   * Share of the truth members found among the first {@code k} of each found list (shorter lists
   * count what they have), over the queries that have a truth list.
   */
  public static double recall(int[][] truth, int[][] found, int k) {
    long hits = 0;
    long expected = 0;
    for (int q = 0; q < truth.length; q++) {
      Set<Integer> wanted = new HashSet<>();
      for (int i = 0; i < Math.min(k, truth[q].length); i++) {
        wanted.add(truth[q][i]);
      }
      expected += wanted.size();
      for (int i = 0; i < Math.min(k, found[q].length); i++) {
        if (wanted.remove(found[q][i])) {
          hits++;
        }
      }
    }
    return expected == 0 ? 1 : (double) hits / expected;
  }

  /** Insertion into a sorted array of k: simple and plainly right for the small k benches use. */
  private static int[] best(float[][] vectors, float[] query, int[] candidates, int k) {
    int size = Math.min(k, candidates.length);
    if (size < 1) {
      return new int[0];
    }
    int[] ords = new int[size];
    float[] scores = new float[size];
    int filled = 0;
    for (int ord : candidates) {
      float score = VectorUtil.dotProduct(query, vectors[ord]);
      if (filled == size && score <= scores[size - 1]) {
        continue;
      }
      int i = filled < size ? filled++ : size - 1;
      while (i > 0 && scores[i - 1] < score) {
        scores[i] = scores[i - 1];
        ords[i] = ords[i - 1];
        i--;
      }
      scores[i] = score;
      ords[i] = ord;
    }
    return ords;
  }
}
