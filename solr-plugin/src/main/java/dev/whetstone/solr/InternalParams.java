package dev.whetstone.solr;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.core.CoreContainer;
import org.apache.solr.request.SolrQueryRequest;

/**
 * The protocol of the parameters Solr nodes send each other for Whetstone, and its only owner:
 * this class names them, writes and reads their values, signs them on the coordinator and checks
 * the signature on the shard. Nothing else reads or writes a {@code whetstone.*} internal
 * parameter.
 *
 * <ul>
 *   <li>{@link #QUERY_VECTOR} ({@code whetstone.qv}): the query vectors the coordinator embedded,
 *       one value per vector, {@code FINGERPRINT:TEXTHASH:BASE64} (little-endian floats). The
 *       only form in which a vector travels to a shard: the shard's {@code {!embed}} or {@code
 *       {!hybrid}} parser reads its query text, and finds the vector for that text here instead
 *       of embedding it again.
 *   <li>{@link #FUSED} ({@code whetstone.fused}): the scores the coordinator fused for the main
 *       {@code {!hybrid}} query, one value per document, {@code SCORE:UNIQUEKEY}; {@link
 *       #FUSED_FOR} ({@code whetstone.fusedFor}) names that query (its signature), so another
 *       {@code {!hybrid}} of the request (an {@code fq}) keeps its own.
 *   <li>{@link #SIGNATURE} ({@code whetstone.sig}): HMAC-SHA256 of the three above and the query
 *       text, with the cluster's key ({@link InternalParamsSigner}, {@link InternalParamsKey}).
 *   <li>{@link #CANDIDATES} ({@code whetstone.candidates}): asks a shard for the lexical and
 *       dense candidates of the request's {@code {!hybrid}} main query instead of its documents.
 *       Not signed and not trusted for anything: it only asks for what a client could ask with
 *       two queries.
 * </ul>
 *
 * <p>A node honours the signed parameters only with a valid signature, or on the coordinator's own
 * request once it set them itself ({@link #setFused}). Anything else, {@code isShard=true} or not,
 * is a 400 naming the parameter: a forged vector or score would otherwise rank any document first.
 */
public final class InternalParams {
  private InternalParams() {}

  /** Query vectors embedded on the coordinator: {@code FINGERPRINT:TEXTHASH:BASE64} each. */
  public static final String QUERY_VECTOR = "whetstone.qv";
  /** Fused scores of the main {@code {!hybrid}} query: {@code SCORE:UNIQUEKEY} each. */
  public static final String FUSED = "whetstone.fused";
  /** The signature of the {@code {!hybrid}} query the {@link #FUSED} scores belong to. */
  public static final String FUSED_FOR = "whetstone.fusedFor";
  /** The coordinator's signature of the signed parameters and the query text. */
  public static final String SIGNATURE = "whetstone.sig";
  /** Asks a shard for the candidates of the {@code {!hybrid}} main query it names (unsigned). */
  public static final String CANDIDATES = "whetstone.candidates";

  /** The ZooKeeper node holding the cluster's signing key (SolrCloud). */
  public static final String KEY_ZNODE = InternalParamsKey.ZNODE;

  /** The parameters the signature covers (with the query text), in signing order. */
  static final List<String> SIGNED = List.of(QUERY_VECTOR, FUSED, FUSED_FOR);
  private static final List<String> ALL = List.of(QUERY_VECTOR, FUSED, FUSED_FOR, SIGNATURE, CANDIDATES);

  /** Request-context key marking the internal params as set by this node for this request. */
  private static final String SET_HERE = InternalParams.class.getName() + ".setHere";
  /** Request-context key holding the params whose signature this node checked. */
  private static final String VERIFIED = InternalParams.class.getName() + ".verified";

  /** Whether {@code name} is one of these parameters (which shape no client's answer). */
  public static boolean isInternal(String name) {
    return ALL.contains(name);
  }

  // --- verifying (every node) ---

  /** A 400 naming the first signed parameter of {@code req} that neither this node set nor Solr signed. */
  public static void verify(SolrQueryRequest req) {
    SolrParams params = req.getParams();
    if (Boolean.TRUE.equals(req.getContext().get(SET_HERE)) || req.getContext().get(VERIFIED) == params) {
      return;
    }
    String present = SIGNED.stream().filter(name -> params.get(name) != null).findFirst().orElse(null);
    if (present == null) {
      return;
    }
    String signature = params.get(SIGNATURE);
    if (signature == null || !signer(req.getCoreContainer()).verifies(params, signature)) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "parameter '" + present + "' is internal to "
          + "Whetstone: only Solr's own shard requests, signed with the cluster's key ("
          + SIGNATURE + "), may send it");
    }
    req.getContext().put(VERIFIED, params);
  }

  /** The values of signed parameter {@code name}; null when it has none; a 400 when unsigned. */
  private static String[] trusted(SolrQueryRequest req, String name) {
    String[] values = req.getParams().getParams(name);
    if (values != null) {
      verify(req);
    }
    return values;
  }

  // --- query vectors ---

  /**
   * Writes the query vectors this request embedded ({@code FINGERPRINT:TEXTHASH} to vector) into
   * a shard request, replacing any, then signs its internal parameters. Called for every shard
   * request after every other component has set its params.
   */
  public static void forward(SolrQueryRequest req, ModifiableSolrParams shardParams,
      Map<String, float[]> vectors) {
    if (!vectors.isEmpty()) {
      shardParams.remove(QUERY_VECTOR);
      vectors.forEach((key, vector) -> shardParams.add(QUERY_VECTOR, encodeVector(key, vector)));
    }
    shardParams.remove(SIGNATURE);
    if (SIGNED.stream().anyMatch(name -> shardParams.get(name) != null)) {
      shardParams.set(SIGNATURE, signer(req.getCoreContainer()).sign(shardParams));
    }
  }

  /**
   * The vector the coordinator forwarded for {@code key} ({@code FINGERPRINT:TEXTHASH}), or null
   * when it sent none; a 400 when unsigned or malformed.
   */
  public static float[] forwardedVector(SolrQueryRequest req, String key, int dimension) {
    String[] values = trusted(req, QUERY_VECTOR);
    if (values == null) {
      return null;
    }
    String prefix = key + ":";
    for (String value : values) {
      if (value.startsWith(prefix)) {
        return decodeVector(value, value.substring(prefix.length()), dimension);
      }
    }
    return null;
  }

  /** One {@link #QUERY_VECTOR} value. Public for {@code whetstone bench solr} and tests. */
  public static String encodeVector(String key, float[] vector) {
    ByteBuffer bytes = ByteBuffer.allocate(vector.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
    bytes.asFloatBuffer().put(vector);
    return key + ":" + Base64.getEncoder().encodeToString(bytes.array());
  }

  /** A signed value can still be malformed (another version's encoding): a 400, never a 500. */
  private static float[] decodeVector(String value, String base64, int dimension) {
    String expected = "FINGERPRINT:TEXTHASH:BASE64 of " + dimension + " finite little-endian floats";
    ByteBuffer bytes;
    try {
      bytes = ByteBuffer.wrap(Base64.getDecoder().decode(base64)).order(ByteOrder.LITTLE_ENDIAN);
    } catch (IllegalArgumentException e) {
      throw malformed(QUERY_VECTOR, value, expected);
    }
    if (bytes.remaining() != dimension * Float.BYTES) {
      throw malformed(QUERY_VECTOR, value, expected);
    }
    float[] vector = new float[dimension];
    bytes.asFloatBuffer().get(vector);
    for (float x : vector) {
      if (!Float.isFinite(x)) {
        throw malformed(QUERY_VECTOR, value, expected);
      }
    }
    return vector;
  }

  // --- fused scores ---

  /**
   * Sets the scores the coordinator fused for the {@code {!hybrid}} query {@code queryId} on its
   * own request, from which Solr copies them into the main query's shard requests (and {@link
   * #forward} signs them). {@code scores}: unique key to score, in order.
   */
  public static void setFused(SolrQueryRequest req, Map<?, Float> scores, String queryId) {
    ModifiableSolrParams withFused = new ModifiableSolrParams(req.getParams());
    scores.forEach((key, score) -> withFused.add(FUSED, score + ":" + key));
    withFused.set(FUSED_FOR, queryId);
    req.getContext().put(SET_HERE, Boolean.TRUE);
    req.setParams(withFused);
  }

  /**
   * The fused scores the coordinator sent for the {@code {!hybrid}} query {@code queryId}, in
   * order, each unique key read by {@code keys} (which throws for a key not of the unique key's
   * type); null when it sent none for that query; a 400 when unsigned or malformed.
   */
  public static <K> Map<K, Float> fusedScores(SolrQueryRequest req, String queryId,
      Function<String, K> keys) {
    String[] fused = trusted(req, FUSED);
    String[] fusedFor = trusted(req, FUSED_FOR);
    if (fused == null || fusedFor == null || !fusedFor[0].equals(queryId)) {
      return null;
    }
    Map<K, Float> scores = new LinkedHashMap<>();
    for (String value : fused) {
      int colon = value.indexOf(':');
      float score;
      K key = null;
      try {
        score = colon < 0 ? Float.NaN : Float.parseFloat(value.substring(0, colon));
        key = keys.apply(value.substring(colon + 1));
      } catch (RuntimeException e) { // a number that does not parse, a key of the wrong type
        score = Float.NaN;
      }
      if (!(score >= 0) || Float.isInfinite(score)) {
        throw malformed(FUSED, value,
            "SCORE:ID with a finite score >= 0 and an ID of the unique key's type");
      }
      scores.put(key, score);
    }
    return scores;
  }

  // --- candidates ---

  /** Asks a shard request for the candidates of the {@code {!hybrid}} query {@code queryId}. */
  public static void askCandidates(ModifiableSolrParams shardParams, String queryId) {
    shardParams.set(CANDIDATES, queryId);
  }

  /** Removes a candidates request that this node did not make (a client's would empty its answer). */
  public static void clearCandidates(ModifiableSolrParams shardParams) {
    shardParams.remove(CANDIDATES);
  }

  /** The {@code {!hybrid}} query whose candidates {@code params} ask for; null when none. */
  public static String candidatesFor(SolrParams params) {
    return params.get(CANDIDATES);
  }

  /** A 400 naming {@code name} for a malformed value of it. */
  private static SolrException malformed(String name, String value, String expected) {
    return new SolrException(ErrorCode.BAD_REQUEST,
        "parameter '" + name + "': expected " + expected + ", got '" + value + "'");
  }

  /** The signer of this node's cluster. Public for tests that play a coordinator. */
  public static InternalParamsSigner signer(CoreContainer container) {
    return InternalParamsKey.signer(container);
  }
}
