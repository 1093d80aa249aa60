package dev.whetstone.solr.schema;

import dev.whetstone.codec.KnnFieldSettings;
import dev.whetstone.codec.gpu.KnnSearchMode;
import java.util.Map;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.response.DocsStreamer;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.IndexSchema;

/**
 * A {@link DenseVectorField} whose type also says how {@link GpuKnnCodecFactory} serves its fields,
 * in attributes next to {@code hnswMaxConnections} (Solr 9's own type refuses attributes it does
 * not know):
 *
 * <pre>
 * &lt;fieldType name="knn_vector_384" class="dev.whetstone.solr.schema.GpuDenseVectorField"
 *     vectorDimension="384" similarityFunction="dot_product" knnAlgorithm="whetstone-gpu"
 *     knnSearchMode="auto" gpuMinVectors="10000"/&gt;
 * </pre>
 *
 * <ul>
 *   <li>{@value #SEARCH_MODE}: {@code auto} (exact on the GPU where the segment is on it, else
 *       HNSW), {@code hnsw} or {@code exact} (a CPU scan); default the node's ({@code
 *       GpuKnnCodecFactory}'s {@code knnSearchMode}, else {@code -Dwhetstone.knn.mode}).
 *   <li>{@value #MIN_VECTORS}: segments with fewer vectors of the field stay on the CPU; default
 *       the node's ({@code GpuKnnCodecFactory}'s {@code minVectors}, else {@code
 *       -Dwhetstone.gpu.minVectors}).
 * </ul>
 *
 * Both need {@code knnAlgorithm="whetstone-gpu"}. Like the HNSW parameters they are written into
 * each segment, so a change applies to segments written or merged after it.
 */
public class GpuDenseVectorField extends DenseVectorField {
  public static final String SEARCH_MODE = "knnSearchMode";
  public static final String MIN_VECTORS = "gpuMinVectors";

  static {
    // Solr returns a stored field's values as typed objects only for the exact classes in this
    // set (DenseVectorField is one); for any other type, a subclass included, it writes
    // toExternal's strings, so a stored vector came back as 384 strings. Added once, as this
    // class loads: a single put that does not resize the set (it holds ~30 classes).
    DocsStreamer.KNOWN_TYPES.add(GpuDenseVectorField.class);
  }

  private KnnFieldSettings knnFieldSettings = KnnFieldSettings.NODE_DEFAULTS;

  @Override
  public void init(IndexSchema schema, Map<String, String> args) {
    String mode = args.remove(SEARCH_MODE);
    String min = args.remove(MIN_VECTORS);
    String algorithm = args.get("knnAlgorithm");
    if ((mode != null || min != null)
        && !GpuKnnCodecFactory.KNN_ALGORITHM.equals(algorithm)) {
      throw invalid((mode != null ? SEARCH_MODE : MIN_VECTORS) + " needs knnAlgorithm=\""
          + GpuKnnCodecFactory.KNN_ALGORITHM + "\", not " + (algorithm == null
              ? "the default (hnsw)" : "\"" + algorithm + "\""), null);
    }
    knnFieldSettings = new KnnFieldSettings(
        mode == null ? null : searchMode(mode),
        min == null ? KnnFieldSettings.NODE_DEFAULT : minVectors(min));
    super.init(schema, args);
  }

  /** What this type's fields ask of the GPU path; the node's settings where it says nothing. */
  public KnnFieldSettings knnFieldSettings() {
    return knnFieldSettings;
  }

  private KnnSearchMode searchMode(String value) {
    try {
      return KnnSearchMode.parse(value);
    } catch (IllegalArgumentException e) {
      throw invalid(SEARCH_MODE + "=\"" + value + "\" is not auto, hnsw or exact", e);
    }
  }

  private int minVectors(String value) {
    int min;
    try {
      min = Integer.parseInt(value.trim());
    } catch (NumberFormatException e) {
      throw invalid(MIN_VECTORS + "=\"" + value + "\" is not a whole number", e);
    }
    if (min < 0) {
      throw invalid(MIN_VECTORS + "=\"" + value + "\" must be 0 or more", null);
    }
    return min;
  }

  private SolrException invalid(String message, Throwable cause) {
    return new SolrException(ErrorCode.SERVER_ERROR,
        "fieldType \"" + getTypeName() + "\": " + message, cause);
  }
}
