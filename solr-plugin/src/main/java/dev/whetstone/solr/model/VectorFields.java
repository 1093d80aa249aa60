package dev.whetstone.solr.model;

import dev.whetstone.model.ModelManifest;
import java.util.Locale;
import java.util.Set;
import org.apache.lucene.index.VectorEncoding;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.SchemaField;

/**
 * Whether a schema field can hold a model's vectors: a float DenseVectorField of the model's
 * dimension whose similarityFunction is the one the model's manifest names. Shared by the update
 * processor (checked at core load) and the query parsers (checked per request).
 */
public final class VectorFields {
  private VectorFields() {}

  /** For unit vectors these two give the same scores, (1 + cos) / 2. */
  private static final Set<String> SAME_ON_UNIT_VECTORS = Set.of("cosine", "dot_product");

  /** Why {@code field} cannot hold {@code model}'s vectors, or null when it can. */
  public static String mismatch(SchemaField field, EmbeddingModel model) {
    String name = field.getName();
    if (!(field.getType() instanceof DenseVectorField type)) {
      return "field '" + name + "' has type '" + field.getType().getTypeName() + "' ("
          + field.getType().getClass().getSimpleName() + "), not a DenseVectorField";
    }
    if (type.getVectorEncoding() != VectorEncoding.FLOAT32) {
      return "field '" + name + "' has vectorEncoding " + type.getVectorEncoding()
          + ", but models produce FLOAT32 vectors";
    }
    ModelManifest manifest = model.manifest();
    if (type.getDimension() != manifest.dimension()) {
      return "field '" + name + "' has vectorDimension " + type.getDimension() + " but model '"
          + model.name() + "' (" + manifest.name() + ") produces " + manifest.dimension()
          + "-dimension vectors";
    }
    String fieldSimilarity = similarityName(type.getSimilarityFunction());
    if (!fieldSimilarity.equals(manifest.similarity()) && !(manifest.normalize()
        && SAME_ON_UNIT_VECTORS.contains(fieldSimilarity)
        && SAME_ON_UNIT_VECTORS.contains(manifest.similarity()))) {
      return "field '" + name + "' has similarityFunction " + fieldSimilarity + " but model '"
          + model.name() + "' (" + manifest.name() + ") makes vectors for "
          + manifest.similarity() + (manifest.normalize() ? " (unit length)" : "")
          + ": scores would not mean what the model was trained for";
    }
    return null;
  }

  /** The name schema.xml uses, e.g. {@code dot_product}. */
  private static String similarityName(VectorSimilarityFunction function) {
    return function.name().toLowerCase(Locale.ROOT);
  }
}
