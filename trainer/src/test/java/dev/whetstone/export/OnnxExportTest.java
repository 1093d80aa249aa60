package dev.whetstone.export;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import ai.djl.Device;
import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.training.GradientCollector;
import ai.djl.training.LocalParameterServer;
import ai.djl.training.ParameterStore;
import ai.djl.training.optimizer.Optimizer;
import ai.djl.training.tracker.Tracker;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.nn.NnTestData;
import dev.whetstone.nn.SentenceEncoder;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * A trained model exported to ONNX gives, in ONNX Runtime, the vectors it gave in DJL: the trained
 * weights, not the pretrained ones, are what Solr will serve.
 */
public class OnnxExportTest {
  private static final float TOLERANCE = 1e-4f;

  @Rule public TemporaryFolder folder = new TemporaryFolder();

  @Test
  public void exportedModelEmbedsLikeTheTrainedOne() throws Exception {
    ModelDirectory base = NnTestData.model("all-minilm-l6-v2");
    List<String> queries = new ArrayList<>();
    List<String> documents = new ArrayList<>();
    trainingPairs(4, queries, documents);
    Path target = folder.getRoot().toPath().resolve("trained");

    try (SentenceEncoder encoder = SentenceEncoder.load(base, 0.1f)) {
      trainSteps(encoder, queries, documents, 3);
      float[][] trainedQueries = NnTestData.queryVectors(encoder, queries);
      float[][] trainedDocuments = NnTestData.documentVectors(encoder, documents);

      ModelDirectory exported = OnnxExport.write(encoder, target, "minilm-scifact", "2", null);
      assertEquals("minilm-scifact", exported.manifest().name());
      assertEquals("2", exported.manifest().version());
      assertNull(exported.manifest().documentTowerFingerprint());
      assertNotEquals(base.manifest().fingerprint(), exported.manifest().fingerprint());
      assertEquals(base.manifest().pooling(), exported.manifest().pooling());
      ModelDirectory.open(target); // the fingerprint verifies
      assertThrows(FileAlreadyExistsException.class,
          () -> OnnxExport.write(encoder, target, "again", "3", null));

      try (Encoder served = Encoder.load(exported); Encoder original = Encoder.load(base)) {
        float queryDiff = NnTestData.maxAbsDiff(served.encodeQueries(queries), trainedQueries);
        float documentDiff =
            NnTestData.maxAbsDiff(served.encodeDocuments(documents), trainedDocuments);
        float moved = NnTestData.maxAbsDiff(original.encodeDocuments(documents), trainedDocuments);
        System.out.printf("export vs DJL, max abs diff: queries %.2e, documents %.2e; "
            + "trained vs base: %.2e%n", queryDiff, documentDiff, moved);
        assertTrue("exported query vectors differ by " + queryDiff, queryDiff <= TOLERANCE);
        assertTrue("exported document vectors differ by " + documentDiff,
            documentDiff <= TOLERANCE);
        assertTrue("training moved vectors by only " + moved, moved > 1e-3);
      }

      Path queryTower = target.resolveSibling("query-tower");
      ModelDirectory queryOnly = OnnxExport.write(encoder, queryTower, "minilm-queries", "3",
          base.manifest().fingerprint());
      assertEquals(base.manifest().fingerprint(),
          ModelDirectory.open(queryTower).manifest().documentTowerFingerprint());
      assertEquals(exported.manifest().fingerprint(), queryOnly.manifest().fingerprint());
    }
  }

  /** Real SciFact train queries and their first relevant document, cut short for speed. */
  private static void trainingPairs(int count, List<String> queries, List<String> documents)
      throws Exception {
    BeirDataset scifact = NnTestData.scifact();
    Map<String, String> queryTexts = scifact.queries();
    Map<String, BeirDocument> corpus = scifact.corpus().stream()
        .collect(Collectors.toMap(BeirDocument::id, Function.identity()));
    Qrels qrels = scifact.qrels("train");
    for (String queryId : qrels.queryIds()) {
      if (queries.size() == count) {
        break;
      }
      String docId = qrels.judgments(queryId).entrySet().stream()
          .filter(e -> e.getValue() > 0).map(Map.Entry::getKey).findFirst().orElseThrow();
      String text = corpus.get(docId).embeddingText();
      queries.add(queryTexts.get(queryId));
      documents.add(text.substring(0, Math.min(text.length(), 300)));
    }
  }

  /** In-batch InfoNCE steps with Adam, dropout on: the way the trainer drives SentenceEncoder. */
  private static void trainSteps(SentenceEncoder encoder, List<String> queries,
      List<String> documents, int steps) {
    Optimizer adam = Optimizer.adam().optLearningRateTracker(Tracker.fixed(1e-4f)).build();
    try (NDManager manager = encoder.model().getNDManager().newSubManager()) {
      ParameterStore parameters = new ParameterStore(manager, false);
      parameters.setParameterServer(new LocalParameterServer(adam), new Device[] {Device.cpu()});
      for (int step = 0; step < steps; step++) {
        try (NDManager stepManager = manager.newSubManager();
            GradientCollector collector = Engine.getEngine(SentenceEncoder.ENGINE)
                .newGradientCollector()) {
          NDArray q = encoder.embed(parameters, stepManager,
              encoder.tokenizer().queries(queries), true);
          NDArray d = encoder.embed(parameters, stepManager,
              encoder.tokenizer().documents(documents), true);
          NDArray logits = q.matMul(d.transpose()).div(0.05f);
          NDArray loss = logits.logSoftmax(1).mul(stepManager.eye(queries.size())).sum().neg()
              .div(queries.size());
          collector.backward(loss);
        }
        parameters.updateAllParameters();
      }
    }
  }
}
