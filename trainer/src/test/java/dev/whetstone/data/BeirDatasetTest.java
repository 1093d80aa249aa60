package dev.whetstone.data;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPOutputStream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class BeirDatasetTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void readsGzippedCorpusQueriesAndCrlfQrels() throws IOException {
    Path dir = temp.newFolder("tiny").toPath();
    try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(dir.resolve("corpus.jsonl.gz")))) {
      out.write(("{\"_id\": \"d1\", \"title\": \"T\\u00e9\", \"text\": \"one\", \"metadata\": {}}\n"
          + "\n{\"_id\": \"d2\", \"text\": \"two\"}\n").getBytes(StandardCharsets.UTF_8));
    }
    write(dir.resolve("queries.jsonl"), "{\"_id\": \"q1\", \"text\": \"first?\", \"metadata\": {}}\n");
    Files.createDirectories(dir.resolve("qrels"));
    write(dir.resolve("qrels/test.tsv"), "query-id\tcorpus-id\tscore\r\nq1\td1\t1\r\nq1\td2\t2\r\n");

    BeirDataset dataset = BeirDataset.open(dir);
    assertEquals("tiny", dataset.name());
    assertEquals(List.of(new BeirDocument("d1", "Té", "one"), new BeirDocument("d2", "", "two")),
        dataset.corpus());
    assertEquals(Map.of("q1", "first?"), dataset.queries());
    Qrels qrels = dataset.qrels("test");
    assertEquals(Map.of("d1", 1, "d2", 2), qrels.judgments("q1"));
    assertEquals(2, qrels.size());
  }

  @Test
  public void malformedJsonNamesFileAndLine() throws IOException {
    Path dir = temp.newFolder().toPath();
    write(dir.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"ok\"}\n{\"_id\": \"d2\", \"text\": \n");
    write(dir.resolve("queries.jsonl"), "{\"_id\": \"q1\"}\n");
    BeirDataset dataset = BeirDataset.open(dir);
    assertMessage(assertThrows(MalformedDataException.class, dataset::corpus),
        dir.resolve("corpus.jsonl") + ":2: not valid JSON");
    assertMessage(assertThrows(MalformedDataException.class, dataset::queries),
        dir.resolve("queries.jsonl") + ":1: missing field 'text'");
  }

  @Test
  public void duplicateIdsAreRefused() throws IOException {
    Path dir = temp.newFolder().toPath();
    write(dir.resolve("corpus.jsonl"), "{\"_id\": \"d1\", \"text\": \"a\"}\n{\"_id\": \"d1\", \"text\": \"b\"}\n");
    write(dir.resolve("queries.jsonl"), "");
    assertMessage(assertThrows(MalformedDataException.class, BeirDataset.open(dir)::corpus),
        ":2: duplicate _id 'd1'");
  }

  @Test
  public void malformedQrelsNameFileAndLine() throws IOException {
    Path file = temp.newFile("qrels.tsv").toPath();
    write(file, "query-id\tcorpus-id\tscore\nq1\td1\t1\nq1\td2\n");
    assertMessage(assertThrows(MalformedDataException.class, () -> Qrels.read(file)),
        file + ":3: expected 3 tab-separated fields");
    write(file, "query-id\tcorpus-id\tscore\nq1\td1\tyes\n");
    assertMessage(assertThrows(MalformedDataException.class, () -> Qrels.read(file)),
        file + ":2: score is not an integer: 'yes'");
    write(file, "q1\td1\t1\n");
    assertMessage(assertThrows(MalformedDataException.class, () -> Qrels.read(file)),
        file + ":1: expected the header");
  }

  @Test
  public void folderWithoutCorpusIsRefused() throws IOException {
    Path dir = temp.newFolder().toPath();
    IOException e = assertThrows(IOException.class, () -> BeirDataset.open(dir));
    assertMessage(e, dir.resolve("corpus.jsonl").toString());
  }

  private static void assertMessage(Exception e, String expectedPart) {
    assertTrue("message: " + e.getMessage(), e.getMessage().contains(expectedPart));
  }

  private static void write(Path file, String content) throws IOException {
    Files.writeString(file, content, StandardCharsets.UTF_8);
  }
}
