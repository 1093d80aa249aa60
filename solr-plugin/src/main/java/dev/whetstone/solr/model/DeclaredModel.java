package dev.whetstone.solr.model;

import dev.whetstone.model.Encoder;
import dev.whetstone.solr.CheckedParams;
import dev.whetstone.solr.WhetstoneParams;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.NamedList;

/** A model as solrconfig.xml declares it in a {@link ModelRegistryComponent}'s {@code models}. */
record DeclaredModel(String name, String path, String queryPath,
    Encoder.Placement placement, int threads, int queryCacheSize) {

  /**
   * The models {@code args} declare, in order; a 500 naming the component (no models) or the model
   * (a bad setting) otherwise.
   */
  static List<DeclaredModel> parse(NamedList<?> args, String component) {
    Object list = args.get(WhetstoneParams.MODELS);
    if (!(list instanceof NamedList<?> named) || named.size() == 0) {
      throw new SolrException(ErrorCode.SERVER_ERROR, "searchComponent '" + component
          + "' needs <lst name=\"models\"> with at least one <lst name=\"MODEL\">");
    }
    List<DeclaredModel> declared = new ArrayList<>();
    for (Map.Entry<String, ?> model : named) {
      String name = model.getKey();
      if (!(model.getValue() instanceof NamedList<?> params)) {
        throw configError(name, "must be a <lst> of model settings");
      }
      CheckedParams settings = CheckedParams.ofConfig(params, message -> configError(name, message));
      String queryPath = settings.get(WhetstoneParams.QUERY_PATH);
      declared.add(new DeclaredModel(name,
          settings.required(WhetstoneParams.PATH, "the model directory"),
          // blank (e.g. an unset ${property:}) means the document model embeds queries too
          queryPath == null || queryPath.isBlank() ? null : queryPath.trim(),
          settings.choice(WhetstoneParams.DEVICE, Encoder.Placement.class, Encoder.Placement.CPU),
          settings.nonNegativeInt(WhetstoneParams.THREADS, 0),
          settings.nonNegativeInt(WhetstoneParams.QUERY_CACHE_SIZE, 1000)));
    }
    return declared;
  }

  private static SolrException configError(String model, String message) {
    return new SolrException(ErrorCode.SERVER_ERROR, "model '" + model + "' " + message);
  }
}
