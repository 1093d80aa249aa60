package dev.whetstone.solr.model;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.SlidingWindowReservoir;
import com.codahale.metrics.Timer;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.metrics.SolrMetricsContext;

/**
 * The metrics of a {@link ModelRegistryComponent}'s models, under {@code CATEGORY.COMPONENT.MODEL}.
 * The component's metrics context is read on each use: a component used outside a core has none,
 * and its metrics are then kept but not reported.
 */
final class RegistryMetrics {
  private final SearchComponent component;

  RegistryMetrics(SearchComponent component) {
    this.component = component;
  }

  /** The counters, histogram and timers a model records as it embeds. */
  EmbeddingModel.Metrics forModel(String model) {
    SolrMetricsContext context = component.getSolrMetricsContext();
    if (context == null) { // not registered (e.g. a component used outside a core)
      return new EmbeddingModel.Metrics(new Counter(), new Counter(), new Counter(), new Counter(),
          new Histogram(new SlidingWindowReservoir(1024)), new Timer(), new Timer(), new Counter(),
          new Counter());
    }
    String[] path = path(model);
    return new EmbeddingModel.Metrics(
        context.counter("documentsEmbedded", path),
        context.counter("queriesEmbedded", path),
        context.counter("queryCacheHits", path),
        context.counter("queryVectorsReceived", path),
        context.histogram("documentBatchSize", path),
        context.timer("documentEmbedTime", path),
        context.timer("queryEmbedTime", path),
        context.counter("queryModelSwitches", path),
        context.counter("queryModelRefusals", path));
  }

  /**
   * Counts a document model this core does not serve although configuration names it (the
   * configset's path, or a changed collection property): the recorded one serves instead.
   */
  void countOverride(String model) {
    SolrMetricsContext context = component.getSolrMetricsContext();
    if (context != null) {
      context.counter("documentModelOverrides", path(model)).inc();
    }
  }

  /** What a core serves, by fingerprint, so a switch can be verified replica by replica. */
  void gauges(EmbeddingModel model) {
    SolrMetricsContext context = component.getSolrMetricsContext();
    if (context == null) {
      return;
    }
    String[] path = path(model.name());
    context.gauge(() -> model.manifest().fingerprint(), true, "documentModel", path);
    context.gauge(() -> model.queryManifest().fingerprint(), true, "queryModel", path);
    context.gauge(model::refusal, true, "queryModelRefused", path);
  }

  private String[] path(String model) {
    return new String[] {component.getCategory().toString(), component.getName(), model};
  }
}
