package dev.whetstone.solr;

import java.util.List;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;

/**
 * The parameters Solr nodes send each other for Whetstone: query vectors embedded on the
 * coordinator and the scores it fused. The coordinator signs them with its cluster's key ({@link
 * #sign}, {@link WhetstoneParams#INTERNAL_SIGNATURE}) and a node honours them only with a valid
 * signature, or on the coordinator's own request once {@link HybridFusionComponent} has set them.
 * Anything else, {@code isShard=true} or not, is a 400 naming the parameter: a forged vector or
 * score would otherwise rank any document first.
 */
final class InternalParams {
  private InternalParams() {}

  static final List<String> NAMES =
      List.of(WhetstoneParams.QUERY_VECTOR, WhetstoneParams.FUSED, WhetstoneParams.FUSED_FOR);

  /** Request-context key marking the internal params as set by this node for this request. */
  private static final String SET_HERE = InternalParams.class.getName() + ".setHere";
  /** Request-context key holding the params whose signature this node checked. */
  private static final String VERIFIED = InternalParams.class.getName() + ".verified";

  /** The values of internal parameter {@code name}; null when it has none; a 400 when unsigned. */
  static String[] trusted(SolrQueryRequest req, String name) {
    String[] values = req.getParams().getParams(name);
    if (values != null) {
      verify(req);
    }
    return values;
  }

  /** A 400 naming the first internal parameter of {@code req} that neither this node set nor Solr signed. */
  static void verify(SolrQueryRequest req) {
    SolrParams params = req.getParams();
    if (Boolean.TRUE.equals(req.getContext().get(SET_HERE)) || req.getContext().get(VERIFIED) == params) {
      return;
    }
    String present = NAMES.stream().filter(name -> params.get(name) != null).findFirst().orElse(null);
    if (present == null) {
      return;
    }
    String signature = params.get(WhetstoneParams.INTERNAL_SIGNATURE);
    if (signature == null || !signer(req).verifies(params, signature)) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "parameter '" + present + "' is internal to "
          + "Whetstone: only Solr's own shard requests, signed with the cluster's key ("
          + WhetstoneParams.INTERNAL_SIGNATURE + "), may send it");
    }
    req.getContext().put(VERIFIED, params);
  }

  /** Records that this node set the internal params of {@code req} (as the coordinator). */
  static void markSetHere(SolrQueryRequest req) {
    req.getContext().put(SET_HERE, Boolean.TRUE);
  }

  /** Signs the internal params of a shard request {@code req} sends, after the last one is set. */
  static void sign(SolrQueryRequest req, ModifiableSolrParams shardParams) {
    shardParams.remove(WhetstoneParams.INTERNAL_SIGNATURE);
    if (NAMES.stream().anyMatch(name -> shardParams.get(name) != null)) {
      shardParams.set(WhetstoneParams.INTERNAL_SIGNATURE, signer(req).sign(shardParams));
    }
  }

  /** A 400 naming {@code name} for a malformed value of it. */
  static SolrException malformed(String name, String value, String expected) {
    return new SolrException(ErrorCode.BAD_REQUEST,
        "parameter '" + name + "': expected " + expected + ", got '" + value + "'");
  }

  private static InternalParamsSigner signer(SolrQueryRequest req) {
    return InternalParamsKey.signer(req.getCoreContainer());
  }
}
