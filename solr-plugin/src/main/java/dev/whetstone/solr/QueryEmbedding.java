package dev.whetstone.solr;

import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;

/** Checks and query building shared by {@code {!embed}} and {@code {!hybrid}}. */
final class QueryEmbedding {
  private QueryEmbedding() {}

  static String requireText(String text, String parser) {
    if (text == null || text.isBlank()) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "{!" + parser + "} needs query text to embed");
    }
    return text;
  }

  /** The vector field {@code name}, checked to hold float vectors of the model's dimension. */
  static SchemaField vectorField(SolrQueryRequest req, String name, EmbeddingModel model) {
    if (name == null || name.isBlank()) {
      throw new SolrException(ErrorCode.BAD_REQUEST,
          "missing parameter '" + WhetstoneParams.VECTOR_FIELD + "' (the DenseVectorField to search)");
    }
    SchemaField field = req.getSchema().getFieldOrNull(name);
    if (field == null) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "undefined field '" + name + "'");
    }
    if (!(field.getType() instanceof DenseVectorField type)) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "field '" + name + "' is a "
          + field.getType().getClass().getSimpleName() + ", not a DenseVectorField");
    }
    if (type.getVectorEncoding() != VectorEncoding.FLOAT32) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "field '" + name + "' holds "
          + type.getVectorEncoding() + " vectors, but models produce FLOAT32 vectors");
    }
    int modelDimension = model.manifest().dimension();
    if (type.getDimension() != modelDimension) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "field '" + name + "' has dimension "
          + type.getDimension() + " but model '" + model.name() + "' produces " + modelDimension
          + "-dimension vectors");
    }
    return field;
  }

  /** An integer parameter that must be > 0. */
  static int positiveInt(String name, String value, int defaultValue) {
    if (value == null) {
      return defaultValue;
    }
    try {
      int parsed = Integer.parseInt(value.trim());
      if (parsed > 0) {
        return parsed;
      }
    } catch (NumberFormatException e) {
      // reported below
    }
    throw new SolrException(ErrorCode.BAD_REQUEST,
        name + " must be an integer > 0, got '" + value + "'");
  }

  /** The query {@code {!knn}} builds for this vector (Solr parses it from the same text form). */
  static Query knnQuery(SchemaField field, float[] vector, int topK, Query filter) {
    return ((DenseVectorField) field.getType())
        .getKnnVectorQuery(field.getName(), vectorLiteral(vector), topK, filter);
  }

  /** The vector as {@code {!knn}} reads it, e.g. {@code [0.1,-0.2]}. */
  static String vectorLiteral(float[] vector) {
    StringBuilder text = new StringBuilder(vector.length * 12).append('[');
    for (int i = 0; i < vector.length; i++) {
      text.append(i == 0 ? "" : ",").append(vector[i]); // Float.toString round-trips exactly
    }
    return text.append(']').toString();
  }
}
