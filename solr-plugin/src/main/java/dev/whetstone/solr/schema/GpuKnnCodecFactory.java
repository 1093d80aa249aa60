package dev.whetstone.solr.schema;

import dev.whetstone.codec.gpu.GpuKnn;
import dev.whetstone.codec.gpu.GpuKnnSettings;
import dev.whetstone.codec.gpu.KnnFallback;
import dev.whetstone.codec.KnnFieldSettings;
import dev.whetstone.codec.WhetstoneKnnVectorsFormat;
import java.util.List;
import org.apache.lucene.codecs.Codec;
import org.apache.lucene.codecs.FilterCodec;
import org.apache.lucene.codecs.KnnVectorsFormat;
import org.apache.lucene.codecs.lucene912.Lucene912Codec;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.core.SchemaCodecFactory;
import org.apache.solr.core.SolrCore;
import org.apache.solr.core.SolrInfoBean;
import org.apache.solr.metrics.SolrMetricManager;
import org.apache.solr.schema.DenseVectorField;
import org.apache.solr.schema.FieldType;
import org.apache.solr.schema.SchemaField;

/**
 * Solr's schema codec, plus GPU exact kNN for the dense vector fields whose type says {@code
 * knnAlgorithm="whetstone-gpu"}: they are written by {@link WhetstoneKnnVectorsFormat} (stock
 * HNSW files, with the type's {@code hnswMaxConnections} and {@code hnswBeamWidth}, and, for a
 * {@link GpuDenseVectorField}, its {@code knnSearchMode} and {@code gpuMinVectors}) and searched
 * on the GPU where there is one. All other fields are exactly as {@link SchemaCodecFactory} makes
 * them. {@code {!knn}}, {@code {!embed}} and {@code {!hybrid}} need no change.
 *
 * <p>The node's GPU settings ({@link GpuKnnSettings}: {@code enabled}, {@code knnSearchMode},
 * {@code memoryBudgetMB}, {@code minVectors}, {@code maxBatch}, {@code batchWindowMicros}, {@code
 * scoresMB}, {@code libraryPath}) are this factory's arguments where given, else the system
 * properties ({@code -Dwhetstone.gpu.memoryBudgetMB} and so on, {@code -Dwhetstone.knn.mode}),
 * else the defaults. One GPU serves all cores of a node: the first core that gives any of them
 * fixes them for the node (as does the first kNN search, with the system properties); a core
 * giving others later gets a WARN line and the node's. A field type's {@code knnSearchMode} and
 * {@code gpuMinVectors} override the node's for its fields. Searches that fell back from the GPU to the CPU are counted per {@link KnnFallback} in the node's
 * metrics, {@code whetstone.fallback.<reason>} (group {@code node}).
 *
 * <pre>
 * &lt;codecFactory class="dev.whetstone.solr.schema.GpuKnnCodecFactory"&gt;
 *   &lt;int name="maxBatch"&gt;256&lt;/int&gt; &lt;!-- optional: the node's settings --&gt;
 * &lt;/codecFactory&gt;
 * &lt;fieldType name="knn_vector_384" class="solr.DenseVectorField" vectorDimension="384"
 *     similarityFunction="dot_product" knnAlgorithm="whetstone-gpu"/&gt;
 * </pre>
 */
public class GpuKnnCodecFactory extends SchemaCodecFactory {
  /** The {@code knnAlgorithm} value that opts a field type in. */
  public static final String KNN_ALGORITHM = "whetstone-gpu";
  private static final String METRICS_TAG = "whetstone";
  /** The arguments read as the node's GPU settings. */
  static final List<String> NODE_SETTINGS = List.of(GpuKnnSettings.ENABLED,
      GpuKnnSettings.SEARCH_MODE, GpuKnnSettings.MEMORY_BUDGET_MB, GpuKnnSettings.MIN_VECTORS,
      GpuKnnSettings.MAX_BATCH_NAME, GpuKnnSettings.BATCH_WINDOW_MICROS, GpuKnnSettings.SCORES_MB,
      GpuKnnSettings.LIBRARY_PATH);

  private volatile SolrCore core;
  private volatile Codec codec;

  /**
   * Fixes the node's GPU settings if the arguments give any; with none the node keeps reading
   * the system properties when first needed, as before the factory had arguments.
   */
  @Override
  public void init(NamedList<?> args) {
    super.init(args);
    if (args == null || NODE_SETTINGS.stream().noneMatch(name -> args.get(name) != null)) {
      return;
    }
    GpuKnnSettings requested;
    try {
      requested = GpuKnnSettings.fromArgs(name -> {
        Object value = args.get(name);
        return value == null ? null : value.toString();
      });
    } catch (IllegalArgumentException e) {
      throw new SolrException(ErrorCode.SERVER_ERROR,
          "codecFactory " + getClass().getSimpleName() + ": " + e.getMessage(), e);
    }
    GpuKnn.node().initSettings(requested);
  }

  @Override
  public void inform(SolrCore core) {
    super.inform(core);
    this.core = core;
    registerNodeGauges(core);
  }

  /**
   * One gauge per fallback reason, and one of the node settings a core asked for in vain, in the
   * node's registry: the counts are the JVM's, so the first core registers them and later ones
   * keep those.
   */
  private static void registerNodeGauges(SolrCore core) {
    SolrMetricManager metrics = core.getCoreContainer().getMetricManager();
    String registry = SolrMetricManager.getRegistryName(SolrInfoBean.Group.node);
    for (KnnFallback reason : KnnFallback.values()) {
      metrics.registerGauge(null, registry, reason::count, METRICS_TAG,
          SolrMetricManager.ResolutionStrategy.IGNORE, reason.metricName());
    }
    metrics.registerGauge(null, registry, GpuKnn.node()::ignoredSettings, METRICS_TAG,
        SolrMetricManager.ResolutionStrategy.IGNORE, GpuKnn.IGNORED_SETTINGS_METRIC);
  }

  @Override
  public Codec getCodec() {
    if (codec == null) {
      Codec schemaCodec = super.getCodec();
      if (!(schemaCodec instanceof Lucene912Codec)) {
        throw new SolrException(ErrorCode.SERVER_ERROR,
            "GpuKnnCodecFactory expects SchemaCodecFactory's codec to be Lucene912, got "
                + schemaCodec.getName());
      }
      codec = new GpuKnnCodec((Lucene912Codec) schemaCodec);
    }
    return codec;
  }

  /**
   * Keeps the schema codec's name: segments read back through Lucene's own codec, whose per-field
   * vector format finds ours by its SPI name.
   */
  private final class GpuKnnCodec extends FilterCodec {
    private final KnnVectorsFormat vectors;

    GpuKnnCodec(Lucene912Codec schemaCodec) {
      super(schemaCodec.getName(), schemaCodec);
      this.vectors = new PerFieldKnnVectorsFormat() {
        @Override
        public KnnVectorsFormat getKnnVectorsFormatForField(String field) {
          DenseVectorField type = gpuVectorType(field);
          return type == null
              ? schemaCodec.getKnnVectorsFormatForField(field)
              : new WhetstoneKnnVectorsFormat(type.getHnswMaxConn(), type.getHnswBeamWidth(),
                  type instanceof GpuDenseVectorField
                      ? ((GpuDenseVectorField) type).knnFieldSettings()
                      : KnnFieldSettings.NODE_DEFAULTS);
        }
      };
    }

    @Override
    public KnnVectorsFormat knnVectorsFormat() {
      return vectors;
    }
  }

  private DenseVectorField gpuVectorType(String field) {
    SchemaField schemaField = core.getLatestSchema().getFieldOrNull(field);
    FieldType type = schemaField == null ? null : schemaField.getType();
    if (type instanceof DenseVectorField
        && KNN_ALGORITHM.equals(((DenseVectorField) type).getKnnAlgorithm())) {
      return (DenseVectorField) type;
    }
    return null;
  }
}
