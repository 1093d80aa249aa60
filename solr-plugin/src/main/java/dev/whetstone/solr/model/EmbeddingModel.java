package dev.whetstone.solr.model;

import com.codahale.metrics.Counter;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.Timer;
import com.github.benmanes.caffeine.cache.Cache;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.solr.InternalParams;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.request.SolrRequestInfo;

/**
 * A model as one core sees it: the node-wide encoders plus this core's metrics. Documents are
 * embedded by the document tower, fixed for the core's life (a collection's vectors come from one
 * document model); queries by the query tower, which is the document model unless a query-only
 * model was paired with it, and which a collection-property switch replaces while the core serves
 * ({@link #switchQueryTower}). A request keeps the tower it started with. Query embedding goes
 * through {@link #embedQuery}, which embeds a text once per distributed request.
 */
public final class EmbeddingModel {
  /** Request-context key of the query vectors this request embedded (to forward to shards). */
  static final String CONTEXT_KEY = EmbeddingModel.class.getName() + ".queryVectors";

  private final String name;
  private final SharedEncoders.Entry shared;
  private final Metrics metrics;
  private volatile QueryTower queryTower;
  private volatile String refusal = "";

  /** Metrics of one core's use of its models. */
  record Metrics(Counter documentsEmbedded, Counter queriesEmbedded, Counter queryCacheHits,
      Counter queryVectorsReceived, Histogram documentBatchSize, Timer documentEmbedTime,
      Timer queryEmbedTime, Counter queryModelSwitches, Counter queryModelRefusals) {}

  /**
   * The encoder that embeds queries, with the node's query cache for it and the Cosine Adapter
   * fitted for it ({@code calibration.json} in its directory), if any. Counted by the requests
   * using it: a tower switched out is released (its ONNX session closed when no core needs it)
   * only once the last request that started with it has ended.
   */
  static final class QueryTower {
    private final SharedEncoders.Entry shared;
    private final Cache<String, float[]> cache;
    private final CosineAdapter calibration;
    /** The model's own hold while it serves, plus one per request using it; 0: released. */
    private final AtomicInteger holds = new AtomicInteger(1);

    QueryTower(SharedEncoders.Entry shared, Cache<String, float[]> cache, CosineAdapter calibration) {
      this.shared = shared;
      this.cache = cache;
      this.calibration = calibration;
    }

    SharedEncoders.Entry shared() {
      return shared;
    }

    Cache<String, float[]> cache() {
      return cache;
    }

    CosineAdapter calibration() {
      return calibration;
    }

    ModelManifest manifest() {
      return shared.encoder.manifest();
    }

    /** A request starts using this tower; false when it was released meanwhile. */
    boolean enter() {
      for (int n = holds.get(); n > 0; n = holds.get()) {
        if (holds.compareAndSet(n, n + 1)) {
          return true;
        }
      }
      return false;
    }

    /** A request, or the model itself when switching it out, lets go of this tower. */
    void release() {
      if (holds.decrementAndGet() == 0) {
        SharedEncoders.release(shared);
      }
    }
  }

  EmbeddingModel(String name, SharedEncoders.Entry shared, QueryTower queryTower, Metrics metrics) {
    this.name = name;
    this.shared = shared;
    this.queryTower = queryTower;
    this.metrics = metrics;
  }

  public String name() {
    return name;
  }

  /** The document tower's manifest (the vectors in the index). */
  public ModelManifest manifest() {
    return shared.encoder.manifest();
  }

  /** The query tower's manifest now: the document tower's unless a query-only model is paired. */
  public ModelManifest queryManifest() {
    return queryTower.manifest();
  }

  /**
   * Serves queries with {@code next} from now on and returns the tower it replaces (the caller
   * releases it); requests already running keep theirs.
   */
  QueryTower switchQueryTower(QueryTower next) {
    QueryTower previous = queryTower;
    queryTower = next;
    refusal = "";
    metrics.queryModelSwitches.inc();
    return previous;
  }

  /** Records a switch that was refused: the old tower keeps serving. */
  void refuseSwitch(String fingerprint, String reason) {
    refusal = fingerprint + ": " + reason;
    metrics.queryModelRefusals.inc();
  }

  /** "" or {@code FINGERPRINT: REASON} of the last refused switch (a metrics gauge). */
  String refusal() {
    return refusal;
  }

  QueryTower queryTower() {
    return queryTower;
  }

  /**
   * The Cosine Adapter of the query tower this request uses, if it has one: it maps this model's
   * vector scores to calibrated relevance.
   */
  public Optional<CosineAdapter> calibration(SolrQueryRequest req) {
    return Optional.ofNullable(tower(req).calibration());
  }

  public Encoder encoder() {
    return shared.encoder;
  }

  SharedEncoders.Entry documents() {
    return shared;
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
   * (signed: see {@link InternalParams});
   * elsewhere it comes from the node's cache or the model, and is remembered in the request so the
   * coordinator forwards it to the shards instead of each shard embedding the text again.
   */
  public float[] embedQuery(SolrQueryRequest req, String text) {
    QueryTower tower = tower(req);
    String key = tower.manifest().fingerprint() + ":" + textHash(text);
    float[] received = InternalParams.forwardedVector(req, key, tower.manifest().dimension());
    if (received != null) {
      metrics.queryVectorsReceived.inc();
      return received;
    }
    Map<String, float[]> embeddedHere = forwardedVectors(req);
    float[] vector = embeddedHere.get(key);
    if (vector != null) { // parsed again in the same request (e.g. by the fusion component)
      return vector;
    }
    vector = tower.cache().getIfPresent(key);
    if (vector != null) {
      metrics.queryCacheHits.inc();
    } else {
      try (Timer.Context ignored = metrics.queryEmbedTime.time()) {
        vector = tower.shared().encoder.encodeQuery(text);
      }
      metrics.queriesEmbedded.inc();
      tower.cache().put(key, vector);
    }
    embeddedHere.put(key, vector);
    return vector;
  }

  /**
   * The query tower this request uses: the one serving when it first asked, held until the request
   * ends (a switch meanwhile does not close it under the request).
   */
  private QueryTower tower(SolrQueryRequest req) {
    String key = CONTEXT_KEY + "." + name + ".tower";
    QueryTower pinned = (QueryTower) req.getContext().get(key);
    if (pinned != null) {
      return pinned;
    }
    SolrRequestInfo info = SolrRequestInfo.getRequestInfo();
    if (info == null) { // not inside a Solr request: nothing would release a hold
      return queryTower;
    }
    do {
      pinned = queryTower;
    } while (!pinned.enter());
    info.addCloseHook(pinned::release);
    req.getContext().put(key, pinned);
    return pinned;
  }

  /** The vectors embedded on this request, keyed {@code FINGERPRINT:TEXTHASH}, to forward. */
  @SuppressWarnings("unchecked")
  static Map<String, float[]> forwardedVectors(SolrQueryRequest req) {
    return (Map<String, float[]>) req.getContext().computeIfAbsent(CONTEXT_KEY, k -> new LinkedHashMap<>());
  }

  public static String textHash(String text) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(text.getBytes(StandardCharsets.UTF_8));
      return HexFormat.of().formatHex(digest, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
