package dev.whetstone.retrieval;

import static org.junit.Assert.assertThrows;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.model.Encoder;
import dev.whetstone.workspace.ModelCache;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.StandardOpenOption;
import java.util.List;
import java.util.stream.Stream;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class EmbeddingCacheTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private static long files(Path dir) throws Exception {
    try (Stream<Path> list = Files.list(dir)) {
      return list.count();
    }
  }

  @Test
  public void secondCallReadsTheFileAndAnotherCorpusGetsItsOwn() throws Exception {
    List<BeirDocument> docs = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"))
        .corpus().subList(0, 12);
    Path dir = temp.getRoot().toPath().resolve("vectors");
    try (Encoder encoder = Encoder.load(ModelCache.ensure(Paths.get("target", "test-models"),
        "all-minilm-l6-v2"))) {
      EmbeddingCache cache = new EmbeddingCache(dir, null);
      float[][] first = cache.documents(encoder, docs);
      assertEquals(1, files(dir));
      Path file;
      try (Stream<Path> list = Files.list(dir)) {
        file = list.findFirst().orElseThrow();
      }
      assertTrue(file.getFileName().toString().startsWith("all-minilm-l6-v2-docs-"));
      assertEquals(8 + 8 + 12 * 384 * 4, Files.size(file));
      float[][] again = cache.documents(encoder, docs);
      for (int i = 0; i < docs.size(); i++) {
        assertArrayEquals(first[i], again[i], 0f);
      }
      // a value planted in the file comes back: the second call read it instead of embedding
      try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
        channel.write(ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN).putFloat(0, 42f), 16);
      }
      assertEquals(42f, cache.documents(encoder, docs)[0][0], 0f);
      assertEquals(1, files(dir));
      cache.documents(encoder, docs.subList(0, 11));
      cache.queries(encoder, List.of("a query"));
      assertEquals(3, files(dir));
    }
  }

  @Test
  public void seededVectorsComeBackWithoutEmbedding() throws Exception {
    List<BeirDocument> docs = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"))
        .corpus().subList(0, 5);
    float[][] indexed = new float[docs.size()][384];
    for (int i = 0; i < indexed.length; i++) {
      indexed[i][i] = 1; // nothing a model would give
    }
    try (Encoder encoder = Encoder.load(ModelCache.ensure(Paths.get("target", "test-models"),
        "all-minilm-l6-v2"))) {
      EmbeddingCache cache = new EmbeddingCache(temp.getRoot().toPath().resolve("seeded"), null);
      cache.seedDocuments(encoder.manifest(), docs, indexed);
      float[][] read = cache.documents(encoder, docs);
      for (int i = 0; i < docs.size(); i++) {
        assertArrayEquals(indexed[i], read[i], 0f);
      }
      assertThrows(IllegalArgumentException.class,
          () -> cache.seedDocuments(encoder.manifest(), docs, new float[4][384]));
    }
  }
}
