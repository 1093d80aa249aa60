package dev.whetstone.solr.search;

import dev.whetstone.calibration.CalibratedVectorQuery;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.RelevanceScoring;
import dev.whetstone.solr.CheckedParams;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.EmbeddingModel;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.request.SolrQueryRequest;

/**
 * What a dense query asks of its model's calibration ({@code minRelevance}, and relevance as the
 * score), checked before the text is embedded, so a request rejected here costs no model call.
 */
final class RelevanceParams {
  private final CosineAdapter adapter;
  private final double minRelevance;
  private final boolean relevanceScores;

  private RelevanceParams(CosineAdapter adapter, double minRelevance, boolean relevanceScores) {
    this.adapter = adapter;
    this.minRelevance = minRelevance;
    this.relevanceScores = relevanceScores;
  }

  /**
   * Reads {@link WhetstoneParams#MIN_RELEVANCE}; a 400 naming it for a bad value, and one naming
   * the model when it has no calibration.
   *
   * @param relevanceScores whether the caller scores the dense hits by relevance
   * @param scoresAskedBy the parameter that asked for relevance scores, for the error
   */
  static RelevanceParams read(SolrQueryRequest req, CheckedParams checked, EmbeddingModel model,
      boolean relevanceScores, String scoresAskedBy) {
    String value = checked.get(WhetstoneParams.MIN_RELEVANCE);
    boolean useDefault = value != null
        && value.trim().equals(WhetstoneParams.DEFAULT_MIN_RELEVANCE);
    Double threshold = useDefault ? null : checked.openFraction(WhetstoneParams.MIN_RELEVANCE,
        "a number in (0, 1) or '" + WhetstoneParams.DEFAULT_MIN_RELEVANCE + "'");
    if (value == null && !relevanceScores) {
      return new RelevanceParams(null, 0, false);
    }
    CosineAdapter adapter = model.calibration(req).orElseThrow(() -> new SolrException(
        ErrorCode.BAD_REQUEST, "model '" + model.name() + "' has no calibration ("
            + CosineAdapter.FILE_NAME + " in the directory of the model that embeds its queries), so "
            + (value != null ? WhetstoneParams.MIN_RELEVANCE : scoresAskedBy)
            + " cannot be served: fit one with 'whetstone calibrate' and reload the core"));
    return new RelevanceParams(adapter, useDefault ? adapter.threshold()
        : threshold == null ? 0 : threshold, relevanceScores);
  }

  /** The relevance scoring of this query vector, or null when nothing was asked. */
  RelevanceScoring forQuery(float[] vector) {
    return adapter == null ? null
        : new RelevanceScoring(adapter.forQuery(vector), minRelevance, relevanceScores);
  }

  /** {@code knn}, kept and scored by relevance when asked. */
  static Query apply(Query knn, RelevanceScoring scoring) {
    return scoring == null ? knn : new CalibratedVectorQuery(knn, scoring);
  }
}
