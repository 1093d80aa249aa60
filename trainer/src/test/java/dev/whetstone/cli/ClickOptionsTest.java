package dev.whetstone.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.List;
import org.junit.Test;
import picocli.CommandLine;

public class ClickOptionsTest {
  @Test
  public void ubiCollectionsDefaultToTheDocumentedNames() {
    assertEquals(List.of("ubi_queries", "ubi_events"),
        parse("--clicks", "http://localhost:8983/solr").config().ubiCollections());
    assertEquals(List.of("q", "e"), parse("--clicks", "http://localhost:8983/solr",
        "--ubi-collections", "q, e").config().ubiCollections());
  }

  @Test
  public void ubiCollectionsMustBeTwoNames() {
    for (String bad : List.of("q", "q,", ",e", "q,e,x", " , ")) {
      ClickOptions options = parse("--clicks", "x", "--ubi-collections", bad);
      IllegalArgumentException e = assertThrows(IllegalArgumentException.class, options::config);
      assertTrue(e.getMessage(), e.getMessage().startsWith(
          "--ubi-collections must be two collection names, QUERIES,EVENTS; got '"));
    }
  }

  private static ClickOptions parse(String... args) {
    ClickOptions options = new ClickOptions();
    new CommandLine(options).parseArgs(args);
    return options;
  }
}
