package dev.whetstone.clicks;

import static dev.whetstone.clicks.UbiClickLogReaderTest.gzip;
import static dev.whetstone.clicks.UbiClickLogReaderTest.write;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.MalformedDataException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class SimpleImpressionReaderTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static final String LOG = ""
      + "{\"query_id\": \"a\", \"query\": \"red shoes\", \"shown\": [\"d1\", \"d2\", \"d3\"],"
      + " \"clicks\": [{\"id\": \"d2\", \"position\": 2, \"dwell\": 12.5}, {\"id\": \"d3\", \"position\": 1}]}\n"
      + "\n"
      + "{\"query\": \"red shoes\", \"shown\": [\"d4\"]}\n"
      + "{\"query\": \"boots\", \"shown\": [], \"clicks\": []}\n";

  @Test
  public void readsImpressionsAndGeneratesMissingIds() throws IOException {
    Path file = write(temp.getRoot().toPath().resolve("clicks.jsonl"), LOG);
    ClickLog log = new SimpleImpressionReader().read(file);
    assertEquals(List.of(
        new Impression("a", "red shoes", List.of("d1", "d2", "d3"), List.of(
            new Impression.Click("d2", 2, 12.5), new Impression.Click("d3", 3, Double.NaN))),
        new Impression("clicks.jsonl:3", "red shoes", List.of("d4"), List.of())),
        log.impressions());
    ClickLogStats stats = log.stats();
    assertEquals(Map.of("clicks.jsonl", 3L), stats.linesReadPerFile());
    assertEquals(Map.of("impression with no shown ids", 1L), stats.dropped());
    assertEquals(2, stats.linesUsed());
    assertEquals(stats.linesRead(), stats.linesUsed() + stats.linesDropped());
    assertEquals(1, stats.distinctQueryTexts());
    assertEquals(2, stats.sessions());
    assertEquals(2, stats.clicks());
    assertEquals(1, stats.positionsCorrected());
  }

  @Test
  public void sourceFileIsSimpleJsonlAndMayBeGzipped() throws IOException {
    Path file = gzip(temp.getRoot().toPath().resolve("clicks.jsonl.gz"), LOG);
    ClickSource source = ClickSource.parse(file.toString());
    assertEquals(new ClickSource.SimpleImpressionFile(file), source);
    assertEquals(2, source.read().impressions().size());
  }

  @Test
  public void badLinesNameFileLineAndField() throws IOException {
    assertRefused("{\"query\": \"x\"}", ":2: missing field 'shown'");
    assertRefused("{\"shown\": [\"d1\"]}", ":2: missing field 'query'");
    assertRefused("{\"query\": \"\", \"shown\": [\"d1\"]}", ":2: field 'query' is empty");
    assertRefused("{\"query\": \"x\", \"shown\": [\"d1\"], \"clicks\": [{\"position\": 1}]}",
        ":2: missing field 'clicks[0].id'");
    assertRefused("{\"query\": \"x\", \"shown\": [\"d1\"], \"clicks\": [{\"id\": \"d1\", \"position\": 0}]}",
        ":2: field 'clicks[0].position' must be >= 1");
    assertRefused("{\"query\": \"x\", \"shown\": [\"d1\"], \"clicks\": [{\"id\": \"d1\", \"dwell\": -1}]}",
        ":2: field 'clicks[0].dwell' must be a non-negative number");
    assertRefused("{\"query\": \"x\", \"shown\": [\"d1\"], \"clicks\": [{\"id\": \"d1\"}, {\"id\": \"d7\"}]}",
        ":2: field 'clicks[1].id' names 'd7', which 'shown' does not hold");
    assertRefused("{\"query\": \"x\", \"shown\": [\"d1\"], \"clicks\": {\"id\": \"d1\"}}",
        ":2: field 'clicks' is not a list");
    assertRefused("{\"query_id\": \"a\", \"query\": \"x\", \"shown\": [\"d1\"]}",
        ":2: duplicate query_id 'a' (first on line 1)");
  }

  private void assertRefused(String secondLine, String expected) throws IOException {
    Path file = write(temp.newFolder().toPath().resolve("clicks.jsonl"),
        "{\"query_id\": \"a\", \"query\": \"x\", \"shown\": [\"d1\"]}\n" + secondLine + "\n");
    MalformedDataException e = assertThrows(MalformedDataException.class,
        () -> new SimpleImpressionReader().read(file));
    assertTrue(e.getMessage(), e.getMessage().startsWith(file + expected));
  }
}
