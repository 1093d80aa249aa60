package dev.whetstone.solr.ubi;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.solr.common.SolrInputDocument;

/**
 * One logged impression in the User Behavior Insights (UBI) query shape: what the user asked and
 * the document ids Solr returned, in the order shown. {@code query_response_hit_ids.get(i)} was
 * shown at position {@code start + i + 1} (the request's {@code start}, in {@code
 * query_attributes.start}).
 *
 * <p>{@code id} names this record, and only it: the server makes it (a new UUID per record), so
 * that nothing a client sends can replace another search's record. {@code queryId} is the client's
 * {@code query_id} when it sent one, and the same id may well be logged more than once (a client
 * asking for page 2 of a search; or reusing an id, by mistake or not).
 */
record UbiQuery(String id, String queryId, String application, String clientId, String userQuery,
    String objectIdField, List<String> hitIds, int start, Instant timestamp) {

  /** A record with a new server-side {@link #id}. */
  UbiQuery(String queryId, String application, String clientId, String userQuery,
      String objectIdField, List<String> hitIds, int start, Instant timestamp) {
    this(UUID.randomUUID().toString(), queryId, application, clientId, userQuery, objectIdField,
        hitIds, start, timestamp);
  }

  /** The record as a UBI query JSON object. */
  Map<String, Object> toJson() {
    Map<String, Object> json = new LinkedHashMap<>();
    json.put("query_id", queryId);
    if (application != null) {
      json.put("application", application);
    }
    if (clientId != null) {
      json.put("client_id", clientId);
    }
    json.put("user_query", userQuery);
    json.put("object_id_field", objectIdField);
    json.put("query_response_hit_ids", hitIds);
    json.put("query_attributes", Map.of("start", start));
    json.put("timestamp", timestamp.toString());
    return json;
  }

  /**
   * The record as a document of the queries collection, keyed by its own {@link #id}: never by the
   * query id, which a second request could send again and so overwrite this one.
   */
  SolrInputDocument toDocument() {
    SolrInputDocument doc = new SolrInputDocument();
    doc.setField("id", id);
    doc.setField("query_id", queryId);
    if (application != null) {
      doc.setField("application", application);
    }
    if (clientId != null) {
      doc.setField("client_id", clientId);
    }
    doc.setField("user_query", userQuery);
    doc.setField("object_id_field", objectIdField);
    doc.setField("query_response_hit_ids", hitIds);
    doc.setField("start", start);
    doc.setField("timestamp", java.util.Date.from(timestamp));
    return doc;
  }
}
