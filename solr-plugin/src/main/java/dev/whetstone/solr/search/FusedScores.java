package dev.whetstone.solr.search;

import dev.whetstone.search.FusedKeysQuery;
import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.search.HybridCandidates.Hit;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.Query;
import org.apache.lucene.util.BytesRef;
import org.apache.lucene.util.BytesRefBuilder;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;

/**
 * The scores the coordinator fused for the main {@code {!hybrid}} query, on their way to the
 * shards ({@link InternalParams#FUSED}): set on the coordinator's request, and read back on a
 * shard as the query that scores only those documents.
 */
final class FusedScores {
  private FusedScores() {}

  /**
   * Sets {@code fused} on the coordinator's request, for the {@code {!hybrid}} query {@code
   * queryId}, so the main query's shard requests carry them.
   */
  static void send(SolrQueryRequest req, List<Hit> fused, String queryId) {
    Map<Object, Float> scores = new LinkedHashMap<>();
    for (Hit hit : fused) {
      scores.put(hit.key(), hit.score());
    }
    InternalParams.setFused(req, scores, queryId);
  }

  /**
   * The query a shard runs for the scores the coordinator fused for the {@code {!hybrid}} query
   * {@code queryId}; null when it sent none for that query.
   */
  static Query query(SolrQueryRequest req, String queryId) {
    SchemaField key = req.getSchema().getUniqueKeyField();
    Map<BytesRef, Float> scores = InternalParams.fusedScores(req, queryId, readable -> {
      BytesRefBuilder term = new BytesRefBuilder();
      key.getType().readableToIndexed(readable, term);
      return term.get();
    });
    return scores == null ? null
        : new FusedKeysQuery(key.getName(), scores, "hybrid score fused over the collection");
  }
}
