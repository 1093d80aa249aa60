package dev.whetstone.solr.search;

import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.EmbeddingModel;
import dev.whetstone.solr.model.VectorFields;
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

  /** The vector field {@code name}, checked to hold the model's vectors ({@link VectorFields}). */
  static SchemaField vectorField(SolrQueryRequest req, String name, EmbeddingModel model) {
    if (name == null || name.isBlank()) {
      throw new SolrException(ErrorCode.BAD_REQUEST,
          "missing parameter '" + WhetstoneParams.VECTOR_FIELD + "' (the DenseVectorField to search)");
    }
    SchemaField field = req.getSchema().getFieldOrNull(name);
    if (field == null) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "undefined field '" + name + "'");
    }
    String mismatch = VectorFields.mismatch(field, model);
    if (mismatch != null) {
      throw new SolrException(ErrorCode.BAD_REQUEST, mismatch);
    }
    return field;
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
