package dev.whetstone.clicks;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.MalformedDataException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.GZIPOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class UbiClickLogReaderTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static final String QUERIES = ""
      + "{\"query_id\": \"q1\", \"user_query\": \"red shoes\", \"client_id\": \"c1\","
      + " \"timestamp\": \"2024-05-01T10:00:00Z\", \"application\": \"shop\","
      + " \"query_response_hit_ids\": [\"d1\", \"d2\", \"d3\"]}\n"
      + "\n"
      + "{\"query_id\": \"q2\", \"user_query\": \"red shoes\", \"client_id\": \"c2\","
      + " \"query_response_objects_ids\": [\"d3\", \"d1\"]}\n"
      + "{\"query_id\": \"q3\", \"user_query\": \"boots\", \"query_response_hit_ids\": []}\n";

  private static final String EVENTS = ""
      + "{\"query_id\": \"q1\", \"action_name\": \"impression\", \"session_id\": \"s1\"}\n"
      + "{\"query_id\": \"q1\", \"action_name\": \"click\", \"session_id\": \"s1\", \"timestamp\": 1,"
      + " \"event_attributes\": {\"object\": {\"object_id\": \"d2\"}, \"position\": {\"ordinal\": 2},"
      + " \"dwell_time\": 12.5}}\n"
      + "{\"query_id\": \"q1\", \"action_name\": \"click\", \"session_id\": \"s1\","
      + " \"event_attributes\": {\"object\": {\"object_id\": \"d3\"}, \"position\": {\"ordinal\": 1}}}\n"
      + "{\"query_id\": \"q2\", \"action_name\": \"hover\","
      + " \"event_attributes\": {\"object\": {\"object_id\": \"d1\"}}}\n"
      + "{\"query_id\": \"q2\", \"action_name\": \"click\","
      + " \"event_attributes\": {\"object\": {\"object_id\": \"d1\"}, \"position\": {\"ordinal\": {\"index\": 2}}}}\n"
      + "{\"query_id\": \"q2\", \"action_name\": \"click\","
      + " \"event_attributes\": {\"object\": {\"object_id\": \"d9\"}}}\n"
      + "{\"query_id\": \"q404\", \"action_name\": \"click\","
      + " \"event_attributes\": {\"object\": {\"object_id\": \"d1\"}}}\n"
      + "{\"query_id\": \"q3\", \"action_name\": \"click\","
      + " \"event_attributes\": {\"object\": {\"object_id\": \"d1\"}}}\n"
      + "{\"query_id\": null, \"action_name\": \"login\"}\n";

  @Test
  public void joinsEventsToQueriesInShownOrder() throws IOException {
    Path dir = temp.newFolder().toPath();
    ClickLog log = read(write(dir.resolve("ubi_queries.jsonl"), QUERIES),
        write(dir.resolve("ubi_events.jsonl"), EVENTS));

    assertEquals(List.of(
        new Impression("q1", "red shoes", List.of("d1", "d2", "d3"), List.of(
            new Impression.Click("d2", 2, 12.5), new Impression.Click("d3", 3, Double.NaN))),
        new Impression("q2", "red shoes", List.of("d3", "d1"), List.of(
            new Impression.Click("d1", 2, Double.NaN)))),
        log.impressions());
  }

  @Test
  public void accountsForEveryLine() throws IOException {
    Path dir = temp.newFolder().toPath();
    ClickLogStats stats = read(write(dir.resolve("ubi_queries.jsonl"), QUERIES),
        write(dir.resolve("ubi_events.jsonl"), EVENTS)).stats();

    assertEquals(Map.of("ubi_queries.jsonl", 3L, "ubi_events.jsonl", 9L), stats.linesReadPerFile());
    assertEquals(Map.of(
        "click on a document not shown", 1L,
        "event for a query with no shown ids", 1L,
        "event for unknown query_id", 1L,
        "event without query_id", 1L,
        "query with no shown ids", 1L), stats.dropped());
    assertEquals(2, stats.impressions());
    assertEquals(1, stats.distinctQueryTexts());
    assertEquals(2, stats.sessions()); // s1 for q1, client c2 for q2
    assertEquals(3, stats.clicks());
    assertEquals(2, stats.nonClickEvents());
    assertEquals(1, stats.positionsCorrected()); // d3 logged at 1, shown at 3
    assertEquals(stats.linesRead(), stats.linesUsed() + stats.linesDropped());
    assertEquals(12, stats.linesRead());
    assertTrue(stats.toString(),
        stats.toString().startsWith("2 impressions (1 distinct queries, 2 sessions), 3 clicks"));
  }

  @Test
  public void laterPagesAndTheirEventsAreDroppedAndCounted() throws IOException {
    Path dir = temp.newFolder().toPath();
    Path queries = write(dir.resolve("ubi_queries.jsonl"), ""
        + "{\"query_id\": \"p1\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\"],"
        + " \"query_attributes\": {\"start\": 0}}\n"
        + "{\"query_id\": \"p2\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d7\"],"
        + " \"query_attributes\": {\"start\": 10}}\n");
    Path events = write(dir.resolve("ubi_events.jsonl"), ""
        + "{\"query_id\": \"p2\", \"action_name\": \"click\","
        + " \"event_attributes\": {\"object\": {\"object_id\": \"d7\"}, \"position\": {\"ordinal\": 11}}}\n");
    ClickLog log = read(queries, events);
    assertEquals(List.of(new Impression("p1", "x", List.of("d1"), List.of())), log.impressions());
    assertEquals(Map.of(UbiClickLogReader.DEEPER_PAGE, 1L, UbiClickLogReader.EVENT_FOR_DEEPER_PAGE, 1L),
        log.stats().dropped());

    assertQueryLineRefused("{\"query_id\": \"q2\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\"],"
        + " \"query_attributes\": {\"start\": -1}}", ":2: field 'query_attributes.start' must be >= 0");
  }

  @Test
  public void aQueryIdReusedBySeveralFirstPagesDropsThemAndTheirEvents() throws IOException {
    Path dir = temp.newFolder().toPath();
    Path queries = write(dir.resolve("ubi_queries.jsonl"), ""
        + "{\"query_id\": \"r1\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\", \"d2\"],"
        + " \"query_attributes\": {\"start\": 0}}\n"
        + "{\"query_id\": \"ok\", \"user_query\": \"y\", \"query_response_hit_ids\": [\"d5\"]}\n"
        + "{\"query_id\": \"r1\", \"user_query\": \"z\", \"query_response_hit_ids\": [\"d3\", \"d1\"]}\n"
        + "{\"query_id\": \"r1\", \"user_query\": \"z\", \"query_response_hit_ids\": [\"d4\"],"
        + " \"query_attributes\": {\"start\": 2}}\n");
    Path events = write(dir.resolve("ubi_events.jsonl"), ""
        + "{\"query_id\": \"r1\", \"action_name\": \"click\","
        + " \"event_attributes\": {\"object\": {\"object_id\": \"d1\"}}}\n"
        + "{\"query_id\": \"r1\", \"action_name\": \"impression\"}\n"
        + "{\"query_id\": \"ok\", \"action_name\": \"click\","
        + " \"event_attributes\": {\"object\": {\"object_id\": \"d5\"}}}\n");
    ClickLog log = read(queries, events);

    assertEquals(List.of(new Impression("ok", "y", List.of("d5"),
        List.of(new Impression.Click("d5", 1, Double.NaN)))), log.impressions());
    ClickLogStats stats = log.stats();
    assertEquals(Map.of(UbiClickLogReader.REUSED_QUERY_ID, 2L,
        UbiClickLogReader.EVENT_FOR_REUSED_QUERY_ID, 2L, UbiClickLogReader.DEEPER_PAGE, 1L),
        stats.dropped());
    assertEquals(7, stats.linesRead());
    assertEquals(2, stats.linesUsed());
    assertEquals(stats.linesRead(), stats.linesUsed() + stats.linesDropped());
    assertEquals(1, stats.clicks());
  }

  @Test
  public void aLaterPageUnderItsFirstPagesQueryIdLeavesTheFirstPageInUse() throws IOException {
    Path dir = temp.newFolder().toPath();
    Path queries = write(dir.resolve("ubi_queries.jsonl"), "" // the later page may come first
        + "{\"query_id\": \"p1\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d3\", \"d4\"],"
        + " \"query_attributes\": {\"start\": 2}}\n"
        + "{\"query_id\": \"p1\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\", \"d2\"],"
        + " \"query_attributes\": {\"start\": 0}}\n");
    Path events = write(dir.resolve("ubi_events.jsonl"), ""
        + "{\"query_id\": \"p1\", \"action_name\": \"click\","
        + " \"event_attributes\": {\"object\": {\"object_id\": \"d2\"}, \"position\": {\"ordinal\": 2}}}\n"
        + "{\"query_id\": \"p1\", \"action_name\": \"click\","
        + " \"event_attributes\": {\"object\": {\"object_id\": \"d4\"}, \"position\": {\"ordinal\": 4}}}\n"
        + "{\"query_id\": \"p1\", \"action_name\": \"click\","
        + " \"event_attributes\": {\"object\": {\"object_id\": \"d9\"}}}\n");
    ClickLog log = read(queries, events);

    assertEquals(List.of(new Impression("p1", "x", List.of("d1", "d2"),
        List.of(new Impression.Click("d2", 2, Double.NaN)))), log.impressions());
    ClickLogStats stats = log.stats();
    // the click on d4 was on the later page; d9 was shown on neither
    assertEquals(Map.of(UbiClickLogReader.DEEPER_PAGE, 1L, UbiClickLogReader.EVENT_FOR_DEEPER_PAGE, 1L,
        UbiClickLogReader.NOT_SHOWN, 1L), stats.dropped());
    assertEquals(5, stats.linesRead());
    assertEquals(stats.linesRead(), stats.linesUsed() + stats.linesDropped());
  }

  @Test
  public void clickActionNamesAreConfigurable() throws IOException {
    Path dir = temp.newFolder().toPath();
    ClickLog log = new UbiClickLogReader(Set.of("click", "hover")).read(
        write(dir.resolve("q.jsonl"), QUERIES), write(dir.resolve("e.jsonl"), EVENTS));
    assertEquals(4, log.stats().clicks());
    assertEquals(1, log.stats().nonClickEvents());
    assertEquals(List.of("d1", "d1"),
        log.impressions().get(1).clicks().stream().map(Impression.Click::docId).toList());
  }

  @Test
  public void readsGzippedFiles() throws IOException {
    Path dir = temp.newFolder().toPath();
    Path queries = gzip(dir.resolve("ubi_queries.jsonl.gz"), QUERIES);
    Path events = gzip(dir.resolve("ubi_events.jsonl.gz"), EVENTS);
    assertEquals(read(queries, events).impressions(),
        read(write(dir.resolve("q.jsonl"), QUERIES), write(dir.resolve("e.jsonl"), EVENTS)).impressions());
  }

  @Test
  public void badQueryLinesNameFileLineAndField() throws IOException {
    assertQueryLineRefused("{\"query_id\": \"q2\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\"]",
        ":2: not valid JSON");
    assertQueryLineRefused("{\"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\"]}",
        ":2: missing field 'query_id'");
    assertQueryLineRefused("{\"query_id\": \"q2\", \"user_query\": \"  \", \"query_response_hit_ids\": [\"d1\"]}",
        ":2: field 'user_query' is empty");
    assertQueryLineRefused("{\"query_id\": \"q2\", \"user_query\": \"x\", \"query_response_hit_ids\": \"d1\"}",
        ":2: field 'query_response_hit_ids' is not a list");
  }

  @Test
  public void badEventLinesNameFileLineAndField() throws IOException {
    assertEventLineRefused("{\"query_id\": \"q1\"}", ":2: missing field 'action_name'");
    assertEventLineRefused("{\"query_id\": \"q1\", \"action_name\": \"click\"}",
        ":2: missing field 'event_attributes.object.object_id'");
    assertEventLineRefused("{\"query_id\": \"q1\", \"action_name\": \"click\", \"event_attributes\":"
        + " {\"object\": {\"object_id\": \"d1\"}, \"position\": {\"ordinal\": 0}}}",
        ":2: field 'event_attributes.position.ordinal' must be >= 1");
    assertEventLineRefused("{\"query_id\": \"q1\", \"action_name\": \"click\", \"event_attributes\":"
        + " {\"object\": {\"object_id\": \"d1\"}, \"position\": {\"ordinal\": \"first\"}}}",
        ":2: field 'event_attributes.position.ordinal' is not an integer");
    assertEventLineRefused("{\"query_id\": \"q1\", \"action_name\": \"click\", \"event_attributes\":"
        + " {\"object\": {\"object_id\": \"d1\"}, \"dwell_time\": \"long\"}}",
        ":2: field 'event_attributes.dwell_time' is not a number");
    assertEventLineRefused("{\"query_id\": \"q1\", \"action_name\": \"click\", \"event_attributes\": 3}",
        ":2: field 'event_attributes' is not an object");
  }

  @Test
  public void sourceDirectoryFindsUbiFilesPlainOrGzipped() throws IOException {
    Path dir = temp.newFolder().toPath();
    gzip(dir.resolve(ClickSource.UBI_QUERIES + ".gz"), QUERIES);
    write(dir.resolve(ClickSource.UBI_EVENTS), EVENTS);
    ClickSource source = ClickSource.parse(dir.toString());
    assertEquals(new ClickSource.UbiFiles(dir.resolve("ubi_queries.jsonl.gz"),
        dir.resolve("ubi_events.jsonl"), Set.of("click")), source);
    assertEquals(2, source.read().impressions().size());

    write(dir.resolve(ClickSource.UBI_QUERIES), QUERIES);
    IOException both = assertThrows(IOException.class, () -> ClickSource.parse(dir.toString()));
    assertTrue(both.getMessage(), both.getMessage().contains("both ubi_queries.jsonl and ubi_queries.jsonl.gz"));

    Path empty = temp.newFolder().toPath();
    IOException missing = assertThrows(IOException.class, () -> ClickSource.parse(empty.toString()));
    assertTrue(missing.getMessage(), missing.getMessage().contains("ubi_queries.jsonl"));
    assertThrows(IOException.class, () -> ClickSource.parse(empty.resolve("nope").toString()));
  }

  private void assertQueryLineRefused(String secondLine, String expected) throws IOException {
    Path dir = temp.newFolder().toPath();
    Path queries = write(dir.resolve("ubi_queries.jsonl"),
        "{\"query_id\": \"q1\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\"]}\n" + secondLine + "\n");
    Path events = write(dir.resolve("ubi_events.jsonl"), "");
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> read(queries, events));
    assertTrue(e.getMessage(), e.getMessage().startsWith(queries + expected));
  }

  private void assertEventLineRefused(String secondLine, String expected) throws IOException {
    Path dir = temp.newFolder().toPath();
    Path queries = write(dir.resolve("ubi_queries.jsonl"),
        "{\"query_id\": \"q1\", \"user_query\": \"x\", \"query_response_hit_ids\": [\"d1\"]}\n");
    Path events = write(dir.resolve("ubi_events.jsonl"),
        "{\"query_id\": \"q1\", \"action_name\": \"impression\"}\n" + secondLine + "\n");
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> read(queries, events));
    assertTrue(e.getMessage(), e.getMessage().startsWith(events + expected));
  }

  private static ClickLog read(Path queries, Path events) throws IOException {
    return new UbiClickLogReader(UbiClickLogReader.DEFAULT_CLICK_ACTIONS).read(queries, events);
  }

  static Path write(Path file, String text) throws IOException {
    return Files.writeString(file, text, StandardCharsets.UTF_8);
  }

  static Path gzip(Path file, String text) throws IOException {
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
      out.write(text.getBytes(StandardCharsets.UTF_8));
    }
    return file;
  }
}
