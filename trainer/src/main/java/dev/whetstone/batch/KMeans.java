package dev.whetstone.batch;

import java.util.Arrays;
import java.util.Random;

/**
 * Spherical k-means over unit vectors (similarity = dot product, centroids re-normalized), seeded
 * with k-means++.
 */
final class KMeans {
  private KMeans() {}

  /** The cluster of each vector, 0..k-1; stops early when no assignment changes. */
  static int[] cluster(float[][] vectors, int k, int iterations, Random random) {
    int n = vectors.length;
    if (k < 1 || k > n) {
      throw new IllegalArgumentException("k must be in [1, " + n + "], got " + k);
    }
    float[][] centroids = seed(vectors, k, random);
    int[] assignment = new int[n];
    Arrays.fill(assignment, -1);
    for (int iteration = 0; iteration < iterations; iteration++) {
      boolean changed = false;
      for (int i = 0; i < n; i++) {
        int best = nearest(vectors[i], centroids);
        changed |= best != assignment[i];
        assignment[i] = best;
      }
      if (!changed) {
        break;
      }
      int dim = vectors[0].length;
      float[][] sums = new float[k][dim];
      int[] sizes = new int[k];
      for (int i = 0; i < n; i++) {
        sizes[assignment[i]]++;
        for (int d = 0; d < dim; d++) {
          sums[assignment[i]][d] += vectors[i][d];
        }
      }
      for (int c = 0; c < k; c++) {
        // an emptied cluster restarts at a random vector rather than vanish
        centroids[c] = sizes[c] == 0 ? vectors[random.nextInt(n)].clone() : normalize(sums[c]);
      }
    }
    return assignment;
  }

  private static float[][] seed(float[][] vectors, int k, Random random) {
    int n = vectors.length;
    float[][] centroids = new float[k][];
    centroids[0] = vectors[random.nextInt(n)].clone();
    double[] distance = new double[n];
    Arrays.fill(distance, Double.MAX_VALUE);
    for (int c = 1; c < k; c++) {
      double total = 0;
      for (int i = 0; i < n; i++) {
        // squared Euclidean distance of unit vectors: 2 - 2 cos
        distance[i] = Math.min(distance[i], Math.max(0, 2 - 2 * dot(vectors[i], centroids[c - 1])));
        total += distance[i];
      }
      double pick = random.nextDouble() * total;
      int chosen = n - 1;
      for (int i = 0; i < n; i++) {
        pick -= distance[i];
        if (pick <= 0) {
          chosen = i;
          break;
        }
      }
      centroids[c] = vectors[chosen].clone();
    }
    return centroids;
  }

  private static int nearest(float[] vector, float[][] centroids) {
    int best = 0;
    float bestScore = Float.NEGATIVE_INFINITY;
    for (int c = 0; c < centroids.length; c++) {
      float score = dot(vector, centroids[c]);
      if (score > bestScore) {
        best = c;
        bestScore = score;
      }
    }
    return best;
  }

  private static float dot(float[] a, float[] b) {
    float sum = 0;
    for (int i = 0; i < a.length; i++) {
      sum += a[i] * b[i];
    }
    return sum;
  }

  private static float[] normalize(float[] v) {
    double norm = 0;
    for (float x : v) {
      norm += x * x;
    }
    float scale = norm == 0 ? 0 : (float) (1 / Math.sqrt(norm));
    for (int i = 0; i < v.length; i++) {
      v[i] *= scale;
    }
    return v;
  }
}
