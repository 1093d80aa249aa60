package dev.whetstone.solr.update;

import dev.whetstone.solr.CheckedParams;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.EmbeddingModel;
import dev.whetstone.solr.model.ModelRegistryComponent;
import dev.whetstone.solr.model.VectorFields;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.SolrCore;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.response.SolrQueryResponse;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.update.processor.UpdateRequestProcessor;
import org.apache.solr.update.processor.UpdateRequestProcessorFactory;
import org.apache.solr.util.plugin.SolrCoreAware;

/**
 * Embeds the text of incoming documents into a dense vector field with a model of the core's
 * {@link ModelRegistryComponent}:
 *
 * <pre>{@code
 * <processor class="dev.whetstone.solr.update.EmbeddingUpdateProcessorFactory">
 *   <str name="model">minilm</str>
 *   <str name="inputFields">title,text</str>
 *   <str name="outputField">vector</str>
 *   <int name="batchSize">32</int>
 *   <bool name="skipExisting">true</bool>
 *   <int name="maxTextChars">1000000</int>
 * </processor>
 * }</pre>
 *
 * <p>Place it before {@code DistributedUpdateProcessorFactory}: a document is then embedded once, on
 * the node that receives it, and replicas index the vector it carries. It deliberately does not
 * implement {@code RunAlways}, so it is skipped on replicas.
 */
public class EmbeddingUpdateProcessorFactory extends UpdateRequestProcessorFactory
    implements SolrCoreAware {
  static final int DEFAULT_BATCH_SIZE = 32;
  static final int DEFAULT_MAX_TEXT_CHARS = 1_000_000;

  private static final Set<String> PARAMS = Set.of(WhetstoneParams.MODEL,
      WhetstoneParams.INPUT_FIELDS, WhetstoneParams.OUTPUT_FIELD, WhetstoneParams.BATCH_SIZE,
      WhetstoneParams.SKIP_EXISTING, WhetstoneParams.MAX_TEXT_CHARS);

  private String modelName;
  private List<String> inputFields;
  private String outputField;
  private int batchSize;
  private boolean skipExisting;
  private int maxTextChars;
  private EmbeddingModel model;

  @Override
  public void init(NamedList<?> args) {
    for (Map.Entry<String, ?> arg : args) {
      if (!PARAMS.contains(arg.getKey())) {
        throw configError("unknown parameter '" + arg.getKey() + "'; known: " + PARAMS);
      }
    }
    CheckedParams settings =
        CheckedParams.ofConfig(args, EmbeddingUpdateProcessorFactory::configError);
    modelName = settings.required(WhetstoneParams.MODEL, "a model of the registry");
    inputFields = fieldList(settings.required(WhetstoneParams.INPUT_FIELDS, "fields to embed"));
    outputField = settings.required(WhetstoneParams.OUTPUT_FIELD, "the DenseVectorField to fill");
    if (inputFields.contains(outputField)) {
      throw configError("outputField '" + outputField + "' is also an input field");
    }
    batchSize = settings.positiveInt(WhetstoneParams.BATCH_SIZE, DEFAULT_BATCH_SIZE);
    skipExisting = settings.bool(WhetstoneParams.SKIP_EXISTING, true);
    maxTextChars = settings.positiveInt(WhetstoneParams.MAX_TEXT_CHARS, DEFAULT_MAX_TEXT_CHARS);
  }

  /** Resolves the model once and checks that the output field can hold its vectors. */
  @Override
  public void inform(SolrCore core) {
    EmbeddingModel resolved;
    try {
      resolved = ModelRegistryComponent.model(core, modelName);
    } catch (SolrException e) {
      throw configError(e.getMessage());
    }
    SchemaField field = core.getLatestSchema().getFieldOrNull(outputField);
    if (field == null) {
      throw configError("outputField '" + outputField + "' is not a field of the schema");
    }
    String mismatch = VectorFields.mismatch(field, resolved);
    if (mismatch != null) {
      throw configError("outputField: " + mismatch);
    }
    model = resolved;
  }

  @Override
  public UpdateRequestProcessor getInstance(SolrQueryRequest req, SolrQueryResponse rsp,
      UpdateRequestProcessor next) {
    if (model == null) {
      throw new IllegalStateException("inform(SolrCore) was not called");
    }
    return new EmbeddingUpdateProcessor(next, model, inputFields, outputField, batchSize,
        skipExisting, maxTextChars);
  }

  private static List<String> fieldList(String value) {
    Set<String> fields = new LinkedHashSet<>();
    for (String field : value.split(",")) {
      if (!field.isBlank() && !fields.add(field.trim())) {
        throw configError("inputFields lists '" + field.trim() + "' twice");
      }
    }
    if (fields.isEmpty()) {
      throw configError("inputFields names no field: '" + value + "'");
    }
    return List.copyOf(fields);
  }

  private static SolrException configError(String message) {
    return new SolrException(ErrorCode.SERVER_ERROR,
        EmbeddingUpdateProcessorFactory.class.getSimpleName() + ": " + message);
  }
}
