package dev.whetstone.solr.model;

import java.util.List;
import org.apache.solr.core.SolrCore;

/**
 * A query parser plugin's view of its core's {@link ModelRegistryComponent}s, found on first use
 * and kept: a plugin instance belongs to one core, so later parses skip the component scan.
 */
public final class ModelLookup {
  private volatile List<ModelRegistryComponent> registries;

  public EmbeddingModel model(SolrCore core, String name) {
    List<ModelRegistryComponent> found = registries;
    if (found == null) {
      found = ModelRegistryComponent.of(core);
      registries = found;
    }
    return ModelRegistryComponent.model(found, name);
  }
}
