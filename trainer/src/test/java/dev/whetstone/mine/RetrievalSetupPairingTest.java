package dev.whetstone.mine;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.BeirDocument;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.EmbeddingCache;
import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A query tower embeds the queries and its document model the corpus, as Solr serves the pair:
 * the int8 MiniLM stands in for a retrained tower of the fp32 MiniLM.
 */
public class RetrievalSetupPairingTest {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static ModelDirectory documentModel;
  private static ModelDirectory tower;
  private static ModelDirectory strayTower;

  @BeforeClass
  public static void prepare() throws Exception {
    Path models = Paths.get("target", "test-models").toAbsolutePath();
    documentModel = ModelCache.ensure(models, "all-minilm-l6-v2");
    ModelDirectory int8 = ModelCache.ensure(models, "all-minilm-l6-v2-q");
    tower = towerOf(int8, "tower", documentModel.manifest().fingerprint());
    strayTower = towerOf(int8, "stray-tower", "0".repeat(64));
  }

  private static ModelDirectory towerOf(ModelDirectory source, String name, String documentFingerprint)
      throws IOException {
    Path dir = temp.newFolder(name).toPath();
    Files.copy(source.onnxFile(), dir.resolve(ModelDirectory.ONNX_FILE));
    Files.copy(source.tokenizerFile(), dir.resolve(ModelDirectory.TOKENIZER_FILE));
    ModelManifest m = source.manifest();
    new ModelManifest(name, m.version(), m.dimension(), m.pooling(), m.normalize(), m.maxLength(),
        m.queryPrefix(), m.documentPrefix(), m.similarity(), m.fingerprint(), documentFingerprint)
        .write(dir.resolve(ModelManifest.FILE_NAME));
    return ModelDirectory.open(dir);
  }

  private static EmbeddingCache cache() throws IOException {
    return new EmbeddingCache(temp.newFolder().toPath(), null);
  }

  @Test
  public void aQueryTowerAloneIsRefusedNamingItsDocumentModel() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetrievalSetup.load(tower, "tower", cache(), null, null));
    assertTrue(e.getMessage(), e.getMessage().contains("embeds queries only")
        && e.getMessage().contains(documentModel.manifest().fingerprint()));
  }

  @Test
  public void aDocumentModelTheTowerDoesNotPairWithIsRefused() throws Exception {
    IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
        () -> RetrievalSetup.load(strayTower, documentModel, "stray", cache(), null, null));
    assertTrue(e.getMessage(), e.getMessage().contains(documentModel.path().toString())
        && e.getMessage().contains("0".repeat(64)));
  }

  @Test
  public void theCorpusIsEmbeddedByTheDocumentModelAndTheQueriesByTheTower() throws Exception {
    List<BeirDocument> corpus = List.of(
        new BeirDocument("d1", "Vitamin D", "Vitamin D deficiency is common in winter."),
        new BeirDocument("d2", "", "Aspirin lowers the risk of a second heart attack."));
    List<String> queries = List.of("does aspirin prevent heart attacks");
    try (RetrievalSetup setup = RetrievalSetup.load(tower, documentModel, "tower", cache(), null,
            null);
        Encoder documents = Encoder.load(documentModel);
        Encoder towerEncoder = Encoder.load(tower)) {
      DenseIndex index = setup.embedCorpus(corpus);
      float[][] expected = documents.encodeDocuments(
          corpus.stream().map(BeirDocument::embeddingText).toList());
      assertEquals(2, index.size());
      assertArrayEquals(expected[0], index.vector("d1"), 1e-6f);
      assertArrayEquals(expected[1], index.vector("d2"), 1e-6f);
      // int8 and fp32 vectors differ: the test tells the two models apart
      float[] towerDocument = towerEncoder.encodeDocuments(List.of(corpus.get(0).embeddingText()))[0];
      assertTrue(maxDifference(towerDocument, expected[0]) > 1e-3f);
      assertArrayEquals(towerEncoder.encodeQueries(queries)[0], setup.queryVectors(queries)[0],
          1e-6f);
    }
  }

  private static float maxDifference(float[] a, float[] b) {
    float max = 0;
    for (int i = 0; i < a.length; i++) {
      max = Math.max(max, Math.abs(a[i] - b[i]));
    }
    return max;
  }
}
