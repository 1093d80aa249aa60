package dev.whetstone.demo;

import com.codahale.metrics.Counter;
import org.apache.solr.core.SolrCore;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * Reads the model registry's per-core counters, summed over the cores of one collection. The names
 * are those /admin/metrics shows under {@code solr.core.<collection>...}: {@code
 * OTHER.embeddings.minilm.<counter>} (the registry component's category is OTHER).
 */
final class EmbeddingMetrics {
  static final String PREFIX = "OTHER.embeddings.minilm.";

  private EmbeddingMetrics() {}

  /** Sum of a counter over the collection's cores; fails when no core has it (a renamed metric). */
  static long sum(LocalSolrCloud cloud, String collection, String counter) {
    long sum = 0;
    boolean found = false;
    for (JettySolrRunner node : cloud.nodes()) {
      for (SolrCore core : node.getCoreContainer().getCores()) {
        if (!collection.equals(core.getCoreDescriptor().getCollectionName())) {
          continue;
        }
        Counter c = core.getSolrMetricsContext().getMetricRegistry().getCounters().get(PREFIX + counter);
        if (c != null) {
          found = true;
          sum += c.getCount();
        }
      }
    }
    if (!found) {
      throw new AssertionError("no core of " + collection + " has the metric " + PREFIX + counter);
    }
    return sum;
  }
}
