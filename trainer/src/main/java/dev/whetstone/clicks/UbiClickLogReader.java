package dev.whetstone.clicks;

import com.google.gson.JsonElement;
import dev.whetstone.data.JsonLines;
import dev.whetstone.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads User Behavior Insights (UBI, https://github.com/o19s/ubi) logs: queries and events joined
 * by {@code query_id}, from JSON lines files or, given the same nested shape, from SolrCloud
 * collections ({@link UbiCollectionRecords}); both go through {@link #read(Records, Records)}.
 *
 * <p>Query records: {@code query_id} and {@code user_query} (both required, non-empty), the shown
 * ids best first in {@code query_response_hit_ids} (OpenSearch's name) or {@code
 * query_response_objects_ids} (the UBI schema's), optional {@code client_id} and {@code
 * query_attributes.start} (the request's offset, as Whetstone's {@code UbiComponent} logs it).
 * Only first pages are read: the click models estimate how often each position of the first page
 * is looked at, and a later page's positions are looked at by the few users who paged on, a
 * different population; its query and events are dropped and counted. Event records: {@code
 * action_name} (required), {@code query_id}, {@code session_id}, and for clicks {@code
 * event_attributes.object.object_id} (required), {@code event_attributes.position.ordinal} (the
 * UBI schema's "nth position of the document on the search results page", 1-based as in its
 * examples; either an integer or, as in older schema versions, {@code {"index": n}}) and {@code
 * event_attributes.dwell_time} in seconds (not part of the UBI schema; NaN when absent). Other
 * fields such as {@code timestamp} and {@code application} are not needed and not checked; clicks
 * keep the events file's order, which UBI writes in time order.
 *
 * <p>Syntactic errors throw {@link MalformedDataException}; records that are well-formed but cannot
 * be used (an event without or with an unknown {@code query_id}, a click on a document the query
 * did not show, a query that showed nothing, a later page) are dropped and counted by reason in
 * {@link ClickLogStats#dropped()}. A {@code query_id} logged again is not an error: a later page
 * under its first page's id is dropped as a later page, but when several first pages share an id
 * (a client reusing it) no event can be attributed, so those queries and all their events are
 * dropped and counted ({@link #REUSED_QUERY_ID}).
 */
public final class UbiClickLogReader {
  /** The UBI action names counted as clicks unless the caller names others. */
  public static final Set<String> DEFAULT_CLICK_ACTIONS = Set.of("click");

  static final String NO_QUERY_ID = "event without query_id";
  static final String UNKNOWN_QUERY = "event for unknown query_id";
  static final String NOTHING_SHOWN = "query with no shown ids";
  static final String EVENT_FOR_NOTHING_SHOWN = "event for a query with no shown ids";
  static final String DEEPER_PAGE = "query for a page after the first (query_attributes.start > 0)";
  static final String EVENT_FOR_DEEPER_PAGE = "event for a page after the first";
  static final String NOT_SHOWN = "click on a document not shown";
  static final String REUSED_QUERY_ID = "query_id reused by several searches";
  static final String EVENT_FOR_REUSED_QUERY_ID = "event for a query_id reused by several searches";

  private final Set<String> clickActions;

  public UbiClickLogReader(Set<String> clickActions) {
    if (clickActions.isEmpty()) {
      throw new IllegalArgumentException("no click action names");
    }
    this.clickActions = Set.copyOf(clickActions);
  }

  /** A query record while its events are joined to it. */
  private static final class LoggedQuery {
    final String id;
    final String text;
    final List<String> shown;
    final String clientId;
    final List<Impression.Click> clicks = new ArrayList<>();
    String sessionId;
    /** What later pages logged under the same query id showed. */
    Set<String> deeperShown = Set.of();

    LoggedQuery(String id, String text, List<String> shown, String clientId) {
      this.id = id;
      this.text = text;
      this.shown = shown;
      this.clientId = clientId;
    }

    String sessionKey() {
      if (sessionId != null) {
        return "session:" + sessionId;
      }
      return clientId != null ? "client:" + clientId : "query:" + id;
    }
  }

  /** What the queries log holds under one query id. */
  private static final class QueryIdRecords {
    final String id;
    /** Its only first page, when that showed something; null otherwise. */
    LoggedQuery firstPage;
    int firstPages;
    int deeperPages;
    /** What its later pages showed. */
    final Set<String> deeperShown = new HashSet<>();

    QueryIdRecords(String id) {
      this.id = id;
    }
  }

  /** The records of one UBI log, its queries or its events: a file, or a Solr collection. */
  interface Records {
    /** Its key in {@link ClickLogStats#linesReadPerFile}: a file or collection name. */
    String name();

    /** Gives each record, in the log's order, as the fields of UBI's nested shape. */
    void forEach(RecordVisitor visitor) throws IOException;

    /** The JSON lines of {@code file}, plain or {@code .gz}. */
    static Records of(Path file) {
      return new Records() {
        @Override
        public String name() {
          return file.getFileName().toString();
        }

        @Override
        public void forEach(RecordVisitor visitor) throws IOException {
          JsonLines.read(file, (object, line) ->
              visitor.visit(new LogFields(object, file, line)));
        }
      };
    }
  }

  /** Receives one record. */
  interface RecordVisitor {
    void visit(LogFields record) throws MalformedDataException;
  }

  public ClickLog read(Path queriesFile, Path eventsFile) throws IOException {
    return read(Records.of(queriesFile), Records.of(eventsFile));
  }

  /**
   * Reads all queries, then joins the events to them; both logs are read once, in order. A query
   * id may come back: a later page of the same search ({@code start} > 0) is dropped as {@link
   * #DEEPER_PAGE} and leaves its first page alone; two or more first pages under one id are
   * different searches whose events cannot be told apart, so all of them and all their events are
   * dropped ({@link #REUSED_QUERY_ID}). Which case an id is, is known once every query is read.
   */
  ClickLog read(Records queryRecords, Records eventRecords) throws IOException {
    ClickLogTally tally = new ClickLogTally();
    Map<String, QueryIdRecords> byId = new LinkedHashMap<>();
    queryRecords.forEach(fields -> {
      tally.recordRead(queryRecords.name());
      String id = fields.requiredText("query_id");
      String text = fields.requiredText("user_query");
      List<String> shown = fields.optionalIds("query_response_hit_ids");
      if (shown == null) {
        shown = fields.optionalIds("query_response_objects_ids");
      }
      QueryIdRecords records = byId.computeIfAbsent(id, QueryIdRecords::new);
      if (fields.optionalOffset("query_attributes.start") > 0) {
        records.deeperPages++;
        if (shown != null) {
          records.deeperShown.addAll(shown);
        }
      } else if (records.firstPages++ == 0) {
        records.firstPage = shown == null || shown.isEmpty() ? null
            : new LoggedQuery(id, text, shown, fields.optionalString("client_id"));
      } else {
        records.firstPage = null; // ambiguous: a second search under this id
      }
    });
    Map<String, LoggedQuery> queries = new LinkedHashMap<>();
    Map<String, String> unusedQueries = new HashMap<>();
    for (QueryIdRecords records : byId.values()) {
      for (int i = 0; i < records.deeperPages; i++) {
        tally.dropped(DEEPER_PAGE);
      }
      if (records.firstPages > 1) {
        for (int i = 0; i < records.firstPages; i++) {
          tally.dropped(REUSED_QUERY_ID);
        }
        unusedQueries.put(records.id, EVENT_FOR_REUSED_QUERY_ID);
      } else if (records.firstPages == 0) {
        unusedQueries.put(records.id, EVENT_FOR_DEEPER_PAGE);
      } else if (records.firstPage == null) {
        tally.dropped(NOTHING_SHOWN);
        unusedQueries.put(records.id, EVENT_FOR_NOTHING_SHOWN);
      } else {
        records.firstPage.deeperShown = records.deeperShown;
        queries.put(records.id, records.firstPage);
        tally.lineUsed();
      }
    }
    eventRecords.forEach(fields -> {
      tally.recordRead(eventRecords.name());
      readEvent(fields, fields.requiredText("action_name"), queries, unusedQueries, tally);
    });
    List<Impression> impressions = new ArrayList<>();
    Set<String> sessions = new HashSet<>();
    for (LoggedQuery query : queries.values()) {
      impressions.add(new Impression(query.id, query.text, query.shown, query.clicks));
      sessions.add(query.sessionKey());
    }
    return new ClickLog(impressions, tally.stats(impressions, sessions));
  }

  private void readEvent(LogFields fields, String action, Map<String, LoggedQuery> queries,
      Map<String, String> unusedQueries, ClickLogTally tally) throws MalformedDataException {
    String queryId = fields.optionalString("query_id");
    if (queryId == null || queryId.isBlank()) {
      tally.dropped(NO_QUERY_ID);
      return;
    }
    LoggedQuery query = queries.get(queryId);
    if (query == null) {
      tally.dropped(unusedQueries.getOrDefault(queryId, UNKNOWN_QUERY));
      return;
    }
    if (!clickActions.contains(action)) {
      recordSession(fields, query);
      tally.nonClickEvent();
      tally.lineUsed();
      return;
    }
    String docId = fields.requiredString("event_attributes.object.object_id");
    int logged = loggedPosition(fields);
    double dwell = fields.optionalSeconds("event_attributes.dwell_time");
    int position = ShownPosition.of(query.shown, docId, logged);
    if (position == 0) {
      // a click on a later page logged under the first page's query id
      tally.dropped(query.deeperShown.contains(docId) ? EVENT_FOR_DEEPER_PAGE : NOT_SHOWN);
      return;
    }
    recordSession(fields, query);
    query.clicks.add(new Impression.Click(docId, position, dwell));
    tally.click(logged != 0 && logged != position);
    tally.lineUsed();
  }

  private static void recordSession(LogFields fields, LoggedQuery query)
      throws MalformedDataException {
    String sessionId = fields.optionalString("session_id");
    if (query.sessionId == null && sessionId != null && !sessionId.isBlank()) {
      query.sessionId = sessionId;
    }
  }

  /** The click's own 1-based position, 0 when the event does not give one. */
  private static int loggedPosition(LogFields fields) throws MalformedDataException {
    JsonElement ordinal = fields.at("event_attributes.position.ordinal");
    if (ordinal != null && ordinal.isJsonObject()) {
      return fields.optionalPosition("event_attributes.position.ordinal.index");
    }
    return fields.optionalPosition("event_attributes.position.ordinal");
  }
}
