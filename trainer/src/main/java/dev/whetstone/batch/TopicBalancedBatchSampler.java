package dev.whetstone.batch;

import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

/**
 * TAS-Balanced batches (Hofstätter et al. 2021): the training queries are clustered once by their
 * vectors (spherical k-means), and every batch is drawn from a single cluster, so in-batch
 * negatives share the query's topic. Within a cluster, batches hold no duplicate query text (as
 * {@link DistinctQueryBatchSampler}); the batches of all clusters are then shuffled together.
 */
public final class TopicBalancedBatchSampler implements BatchSampler {
  private static final int ITERATIONS = 25;

  private final DistinctQueryBatchSampler packer = new DistinctQueryBatchSampler();
  private final Map<String, Integer> clusters;

  /**
   * @param queryVectors query id → unit query vector, for every query that will be batched
   * @param clusters number of topics; SciFact's 809 training queries make ~25 batches of 32
   * @param seed seeds the clustering, so it is the same on every run
   */
  public TopicBalancedBatchSampler(Map<String, float[]> queryVectors, int clusters, long seed) {
    List<String> ids = new ArrayList<>(queryVectors.keySet());
    Collections.sort(ids); // the clustering must not depend on the map's iteration order
    float[][] vectors = new float[ids.size()][];
    for (int i = 0; i < ids.size(); i++) {
      vectors[i] = queryVectors.get(ids.get(i));
    }
    int[] assignment = KMeans.cluster(vectors, clusters, ITERATIONS, new Random(seed));
    this.clusters = new HashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      this.clusters.put(ids.get(i), assignment[i]);
    }
  }

  /** The topic cluster of a query. */
  public int clusterOf(String queryId) {
    Integer cluster = clusters.get(queryId);
    if (cluster == null) {
      throw new IllegalArgumentException("query '" + queryId + "' has no vector; it was not clustered");
    }
    return cluster;
  }

  @Override
  public List<List<TrainingExample>> batches(List<TrainingExample> examples, int batchSize,
      Random random) {
    Map<Integer, List<TrainingExample>> byCluster = new HashMap<>();
    for (TrainingExample example : examples) {
      byCluster.computeIfAbsent(clusterOf(example.queryId()), c -> new ArrayList<>()).add(example);
    }
    List<List<TrainingExample>> batches = new ArrayList<>();
    for (int cluster = 0; cluster <= Collections.max(clusters.values()); cluster++) {
      List<TrainingExample> members = byCluster.getOrDefault(cluster, List.of());
      List<TrainingExample> shuffled = new ArrayList<>(members);
      Collections.shuffle(shuffled, random);
      batches.addAll(packer.pack(shuffled, batchSize));
    }
    Collections.shuffle(batches, random);
    return batches;
  }
}
