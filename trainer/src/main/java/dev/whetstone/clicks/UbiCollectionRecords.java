package dev.whetstone.clicks;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonNull;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.io.IOException;
import java.util.Collection;
import java.util.Date;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.CursorMarkParams;

/**
 * UBI records read from SolrCloud collections of the conf-examples/ubi schema, so that {@link
 * UbiClickLogReader} joins them exactly as it joins exported files. The schema is flat (Solr's
 * {@code /update} does not flatten UBI's nested attributes), so each document is given the nested
 * shape the reader knows: a query's {@code start} becomes {@code query_attributes.start}, an
 * event's {@code object_id}, {@code position} and {@code dwell_time} become {@code
 * event_attributes.object.object_id}, {@code event_attributes.position.ordinal} and {@code
 * event_attributes.dwell_time}; other fields keep their names. Messages name the collection, the
 * document id and the document's own field names.
 *
 * <p>Each collection is read completely with cursorMark paging, in {@code timestamp} order as a log
 * file would be (then {@code id}: a cursor needs the unique key in its sort).
 */
final class UbiCollectionRecords implements UbiClickLogReader.Records {
  private static final int ROWS = 1000;
  private static final Map<String, String> QUERY_FIELDS = Map.of("start", "query_attributes.start");
  private static final Map<String, String> EVENT_FIELDS = Map.of(
      "object_id", "event_attributes.object.object_id",
      "position", "event_attributes.position.ordinal",
      "dwell_time", "event_attributes.dwell_time");

  private final CloudSolrClient client;
  private final String solrUrl;
  private final String collection;
  /** A flat field's path in the nested shape, for those that move. */
  private final Map<String, String> paths;
  /** The inverse of {@link #paths}, so that messages name the document's own fields. */
  private final Map<String, String> names = new HashMap<>();

  private UbiCollectionRecords(CloudSolrClient client, String solrUrl, String collection,
      Map<String, String> paths) {
    this.client = client;
    this.solrUrl = solrUrl;
    this.collection = collection;
    this.paths = paths;
    paths.forEach((field, path) -> names.put(path, field));
  }

  /** A client of the cluster {@code solrUrl} belongs to, built as {@code SolrAdmin} builds it. */
  static CloudSolrClient connect(String solrUrl) throws IOException {
    try {
      return new CloudSolrClient.Builder(List.of(solrUrl)).build();
    } catch (RuntimeException e) {
      throw new IOException(solrUrl + ": cannot reach SolrCloud: " + e.getMessage(), e);
    }
  }

  static UbiCollectionRecords queries(CloudSolrClient client, String solrUrl, String collection) {
    return new UbiCollectionRecords(client, solrUrl, collection, QUERY_FIELDS);
  }

  static UbiCollectionRecords events(CloudSolrClient client, String solrUrl, String collection) {
    return new UbiCollectionRecords(client, solrUrl, collection, EVENT_FIELDS);
  }

  @Override
  public String name() {
    return collection;
  }

  @Override
  public void forEach(UbiClickLogReader.RecordVisitor visitor) throws IOException {
    SolrQuery query = new SolrQuery("*:*").setRows(ROWS)
        .addSort("timestamp", SolrQuery.ORDER.asc).addSort("id", SolrQuery.ORDER.asc);
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse page;
      try {
        page = client.query(collection, query);
      } catch (SolrServerException | RuntimeException e) {
        throw new IOException(solrUrl + ": cannot read collection " + collection + ": "
            + e.getMessage(), e);
      }
      for (SolrDocument doc : page.getResults()) {
        Object id = doc.getFieldValue("id");
        visitor.visit(new LogFields(nested(doc),
            "collection " + collection + ", document " + id,
            path -> names.getOrDefault(path, path)));
      }
      if (cursor.equals(page.getNextCursorMark())) {
        return;
      }
      cursor = page.getNextCursorMark();
    }
  }

  /** {@code doc} in UBI's nested shape. */
  private JsonObject nested(SolrDocument doc) {
    JsonObject json = new JsonObject();
    for (Map.Entry<String, Object> field : doc) {
      String[] path = paths.getOrDefault(field.getKey(), field.getKey()).split("\\.");
      JsonObject parent = json;
      for (int i = 0; i < path.length - 1; i++) {
        if (!parent.has(path[i])) {
          parent.add(path[i], new JsonObject());
        }
        parent = parent.getAsJsonObject(path[i]);
      }
      parent.add(path[path.length - 1], json(field.getValue()));
    }
    return json;
  }

  private static JsonElement json(Object value) {
    if (value == null) {
      return JsonNull.INSTANCE;
    }
    if (value instanceof Collection<?> values) {
      JsonArray array = new JsonArray();
      values.forEach(element -> array.add(json(element)));
      return array;
    }
    if (value instanceof Number number) {
      return new JsonPrimitive(number);
    }
    if (value instanceof Boolean bool) {
      return new JsonPrimitive(bool);
    }
    if (value instanceof Date date) {
      return new JsonPrimitive(date.toInstant().toString());
    }
    return new JsonPrimitive(value.toString());
  }
}
