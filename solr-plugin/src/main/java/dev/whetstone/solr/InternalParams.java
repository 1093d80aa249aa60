package dev.whetstone.solr;

import java.util.List;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.request.SolrQueryRequest;

/**
 * The parameters Solr nodes send each other for Whetstone: query vectors embedded on the
 * coordinator and the scores it fused. They are honoured on shard requests ({@code isShard=true},
 * which Solr sets on every request a coordinator sends its shards) and on the coordinator's own
 * request once {@link HybridFusionComponent} has set them; a client that sends one gets a 400
 * naming it, since a forged vector or score would otherwise rank any document first.
 */
final class InternalParams {
  private InternalParams() {}

  static final List<String> NAMES =
      List.of(WhetstoneParams.QUERY_VECTOR, WhetstoneParams.FUSED, WhetstoneParams.FUSED_FOR);

  /** Request-context key marking the internal params as set by this node for this request. */
  private static final String SET_HERE = InternalParams.class.getName() + ".setHere";

  /**
   * The values of internal parameter {@code name} this request may act on; null when it has
   * none; a 400 when a client sent them.
   */
  static String[] trusted(SolrQueryRequest req, String name) {
    String[] values = req.getParams().getParams(name);
    if (values != null && !fromSolr(req)) {
      throw refused(name);
    }
    return values;
  }

  /** A 400 when a client request carries any internal parameter. */
  static void refuseFromClient(SolrQueryRequest req) {
    if (fromSolr(req)) {
      return;
    }
    for (String name : NAMES) {
      if (req.getParams().get(name) != null) {
        throw refused(name);
      }
    }
  }

  /** Records that this node set the internal params of {@code req} (as the coordinator). */
  static void markSetHere(SolrQueryRequest req) {
    req.getContext().put(SET_HERE, Boolean.TRUE);
  }

  private static boolean fromSolr(SolrQueryRequest req) {
    return req.getParams().getBool(ShardParams.IS_SHARD, false)
        || Boolean.TRUE.equals(req.getContext().get(SET_HERE));
  }

  private static SolrException refused(String name) {
    return new SolrException(ErrorCode.BAD_REQUEST, "parameter '" + name + "' is internal to "
        + "Whetstone: only Solr's own shard requests may send it");
  }
}
