package dev.whetstone.solr;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Timer;
import com.github.benmanes.caffeine.cache.Cache;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelManifest;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.apache.solr.request.SolrQueryRequest;

/**
 * A model as one core sees it: the node-wide encoders plus this core's metrics. Documents are
 * embedded by the document tower; queries by the query tower, which is the same encoder unless a
 * query-only model was paired with it. Query embedding goes through {@link #embedQuery}, which
 * embeds a text once per distributed request.
 */
public final class EmbeddingModel {
  /** Request-context key of the query vectors this request embedded (to forward to shards). */
  static final String CONTEXT_KEY = EmbeddingModel.class.getName() + ".queryVectors";

  private final String name;
  private final SharedEncoders.Entry shared;
  private final SharedEncoders.Entry queryTower;
  private final Cache<String, float[]> queryCache;
  private final Metrics metrics;
  private final CosineAdapter calibration;

  /** Metrics of one core's use of its models. */
  record Metrics(Counter documentsEmbedded, Counter queriesEmbedded, Counter queryCacheHits,
      Counter queryVectorsReceived, Histogram documentBatchSize, Timer documentEmbedTime,
      Timer queryEmbedTime) {}

  EmbeddingModel(String name, SharedEncoders.Entry shared, SharedEncoders.Entry queryTower,
      Cache<String, float[]> queryCache, Metrics metrics, CosineAdapter calibration) {
    this.name = name;
    this.shared = shared;
    this.queryTower = queryTower;
    this.queryCache = queryCache;
    this.metrics = metrics;
    this.calibration = calibration;
  }

  public String name() {
    return name;
  }

  /** The document tower's manifest (the vectors in the index). */
  public ModelManifest manifest() {
    return shared.encoder.manifest();
  }

  /** The query tower's manifest: the document tower's unless a query-only model is paired. */
  public ModelManifest queryManifest() {
    return queryTower.encoder.manifest();
  }

  /**
   * The Cosine Adapter fitted for the query tower ({@code calibration.json} in its directory),
   * if any: it maps this model's vector scores to calibrated relevance.
   */
  public Optional<CosineAdapter> calibration() {
    return Optional.ofNullable(calibration);
  }

  public Encoder encoder() {
    return shared.encoder;
  }

  /** Embeds documents (one model call per batch of {@code batchSize}). */
  public float[][] embedDocuments(List<String> texts, int batchSize) {
    metrics.documentBatchSize.update(texts.size());
    try (Timer.Context ignored = metrics.documentEmbedTime.time()) {
      float[][] vectors = shared.encoder.encodeDocuments(texts, batchSize);
      metrics.documentsEmbedded.inc(texts.size());
      return vectors;
    }
  }

  /**
   * The vector of a query text for this request. On a shard it is the vector the coordinator sent
   * (a client may not send one: see {@link InternalParams});
   * elsewhere it comes from the node's cache or the model, and is remembered in the request so the
   * coordinator forwards it to the shards instead of each shard embedding the text again.
   */
  public float[] embedQuery(SolrQueryRequest req, String text) {
    String key = queryManifest().fingerprint() + ":" + textHash(text);
    float[] received = findForwarded(InternalParams.trusted(req, WhetstoneParams.QUERY_VECTOR), key);
    if (received != null) {
      metrics.queryVectorsReceived.inc();
      return received;
    }
    Map<String, float[]> embeddedHere = forwardedVectors(req);
    float[] vector = embeddedHere.get(key);
    if (vector != null) { // parsed again in the same request (e.g. by the fusion component)
      return vector;
    }
    vector = queryCache.getIfPresent(key);
    if (vector != null) {
      metrics.queryCacheHits.inc();
    } else {
      try (Timer.Context ignored = metrics.queryEmbedTime.time()) {
        vector = queryTower.encoder.encodeQuery(text);
      }
      metrics.queriesEmbedded.inc();
      queryCache.put(key, vector);
    }
    embeddedHere.put(key, vector);
    return vector;
  }

  /** The vectors embedded on this request, keyed {@code FINGERPRINT:TEXTHASH}. */
  @SuppressWarnings("unchecked")
  static Map<String, float[]> forwardedVectors(SolrQueryRequest req) {
    return (Map<String, float[]>) req.getContext().computeIfAbsent(CONTEXT_KEY, k -> new LinkedHashMap<>());
  }

  /** Encodes one forwarded vector as a {@link WhetstoneParams#QUERY_VECTOR} value. */
  static String encodeParam(String key, float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return key + ":" + Base64.getEncoder().encodeToString(bytes.array());
  }

  private static float[] findForwarded(String[] values, String key) {
    if (values == null) {
      return null;
    }
    String prefix = key + ":";
    for (String value : values) {
      if (value.startsWith(prefix)) {
        ByteBuffer bytes = ByteBuffer.wrap(Base64.getDecoder().decode(value.substring(prefix.length())))
            .order(ByteOrder.LITTLE_ENDIAN);
        float[] vector = new float[bytes.remaining() / Float.BYTES];
        bytes.asFloatBuffer().get(vector);
        return vector;
      }
    }
    return null;
  }

  static String textHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
