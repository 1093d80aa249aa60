package dev.whetstone.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.clicks.ClickSimulator;
import dev.whetstone.clicks.ImpressionsJsonl;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.demo.BeirCloud;
import dev.whetstone.demo.BeirRunner;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.report.TrainingReport;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.workspace.BeirConfigSet;
import dev.whetstone.workspace.ModelCache;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Short real training runs on a SciFact slice: both modes, the promotion gate, the export, and the
 * exported query tower served by Solr next to the document model it was trained against.
 */
public class TrainingJobTest {
  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static final String BASE = "all-minilm-l6-v2";
  private static Path models;
  private static Path slice;
  private static ModelDirectory base;

  @BeforeClass
  public static void prepare() throws Exception {
    models = Paths.get("target", "test-models").toAbsolutePath();
    base = ModelCache.ensure(models, BASE);
    slice = SciFactSlice.write(temp.newFolder("scifact-slice").toPath(), 24, 12, 150);
  }

  private static TrainingConfig config(TrainingMode mode, Path output, float learningRate,
      int maxSteps, boolean force) {
    return config(mode, output, learningRate, 1, maxSteps, maxSteps, force, false);
  }

  private static TrainingConfig config(TrainingMode mode, Path output, float learningRate,
      int epochs, int maxSteps, int evalEvery, boolean force, boolean resume) {
    return small(mode, slice, output).learningRate(learningRate).epochs(epochs)
        .maxSteps(maxSteps).evalEvery(evalEvery).force(force).resume(resume).build();
  }

  /**
   * The slice's settings: batches of 8, 1 negative in full mode and 3 in query-tower mode, no
   * re-mining, no min steps, a quarter of train carved as dev, seed 11.
   */
  private static TrainingConfig.Builder small(TrainingMode mode, Path data, Path output) {
    return TrainingConfig.builder(mode, data, base.path(), output).modelsDir(models)
        .batchSize(8).chunkSize(8).negatives(mode == TrainingMode.FULL ? 1 : 3).minSteps(0)
        .remineEvery(0).devFraction(0.25).seed(11);
  }

  /** A job's report and what it printed. */
  private record Printed(TrainingReport report, String console) {}

  private static Printed runPrinting(TrainingConfig config) throws Exception {
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport report =
        new TrainingJob(config, new PrintStream(log, true, StandardCharsets.UTF_8)).run();
    return new Printed(report, log.toString(StandardCharsets.UTF_8));
  }

  private static TrainingReport run(TrainingConfig config) throws Exception {
    Printed run = runPrinting(config);
    TrainingReport report = run.report();
    String printed = run.console();
    assertTrue(printed, printed.contains("Training (" + config.mode().label() + "): ")
        && printed.contains(" examples per epoch (one per training query)")
        && printed.contains("Measured: ") && printed.contains(" s per step"));
    return report;
  }

  /**
   * Clicks instead of judgments: a simulated log over the slice's train queries (two rankers'
   * lists, examination 1/r), denoised with the teacher, trains the query tower, the gate judges on
   * held-out query texts, and the slice's test judgments still test it.
   */
  @Test
  public void queryTowerTrainsFromClicksAndIsJudgedOnHeldOutClicks() throws Exception {
    BeirDataset dataset = BeirDataset.open(slice);
    Qrels train = dataset.qrels("train");
    List<String> ids = dataset.corpus().stream().map(BeirDocument::id).toList();
    List<ClickSimulator.Query> queries = new ArrayList<>();
    int q = 0;
    for (String query : train.queryIds()) {
      List<String> shown = new ArrayList<>(train.judgments(query).keySet());
      for (int d = 0; shown.size() < 10; d++) {
        String other = ids.get((q * 7 + d) % ids.size());
        if (!shown.contains(other)) {
          shown.add(other);
        }
      }
      List<String> reversed = new ArrayList<>(shown);
      Collections.reverse(reversed);
      queries.add(new ClickSimulator.Query(query, dataset.queries().get(query),
          List.of(shown, reversed)));
      q++;
    }
    Path clicks = temp.newFolder("clicks").toPath().resolve("impressions.jsonl");
    ImpressionsJsonl.write(clicks, new ClickSimulator(1).simulate(queries, train, 30, 5));

    Path output = models.resolve("scifact-slice-clicks-" + System.nanoTime());
    TrainingConfig judged = config(TrainingMode.QUERY_TOWER, output, 2e-5f, 2, true);
    TrainingConfig config =
        judged.toBuilder().clicks(ClickConfig.defaults(clicks.toString())).force(true).build();
    Printed printed = runPrinting(config);
    TrainingReport report = printed.report();

    // the teacher (here the base model itself) gives the click noise model its prior
    assertTrue(printed.console(), printed.console().contains(
        "Clicks: noise model (prior from the teacher " + base.manifest().name() + ", "));
    assertTrue(report.splits(), report.splits().startsWith("train and dev from the clicks in "));
    assertEquals(2, report.steps().size());
    assertNotNull("the slice's test judgments test it", report.candidate().test());
    assertTrue(report.gate(), report.gate().contains("dev nDCG@10"));
  }

  @Test
  public void queryTowerExportIsServedBySolrBesideItsDocumentModel() throws Exception {
    Path output = models.resolve("scifact-slice-query-tower-" + System.nanoTime());
    TrainingReport report = run(config(TrainingMode.QUERY_TOWER, output, 2e-5f, 3, true));

    assertTrue(report.gate(), report.promoted());
    assertEquals(3, report.steps().size());
    assertEquals(List.of(0, 3), report.evaluations().stream().map(e -> e.step()).toList());
    assertNotNull(report.candidate().test());
    Path work = output.resolveSibling(output.getFileName() + ".work");
    assertTrue(Files.isRegularFile(work.resolve("report").resolve("training.png")));

    ModelDirectory trained = ModelDirectory.open(output);
    assertEquals(base.manifest().fingerprint(), trained.manifest().documentTowerFingerprint());
    assertFalse(base.manifest().fingerprint().equals(trained.manifest().fingerprint()));

    // Solr embeds documents with the base model and queries with the trained tower
    System.setProperty("whetstone.query.model.path", output.getFileName().toString());
    List<BeirDocument> corpus = BeirDataset.open(slice).corpus();
    String query = "0-dimensional biomaterials show inductive properties.";
    try (BeirCloud cloud = BeirCloud.start(1, 0, models, BASE, BeirConfigSet.locate());
        Encoder documents = Encoder.load(base);
        Encoder queries = Encoder.load(trained)) {
      cloud.createCollection("slice", 1, 1);
      cloud.index("slice", corpus, done -> {});
      List<BeirRunner.Hit> hits = cloud.runner("slice")
          .topHits("{!embed f=vector model=minilm topK=5 v=$qq}", query, 5);
      DenseIndex index = new DenseIndex(corpus.stream().map(BeirDocument::id).toList(),
          documents.encodeDocuments(corpus.stream().map(BeirDocument::embeddingText).toList()));
      float[] trainedQuery = queries.encodeQuery(query);
      float[] baseQuery = documents.encodeQuery(query);
      assertEquals(5, hits.size());
      double baseError = 0;
      for (BeirRunner.Hit hit : hits) {
        // Lucene's dot_product score is (1 + dot) / 2: the hit was scored with the trained tower
        assertEquals(hit.id(), (1 + index.score(trainedQuery, hit.id())) / 2, hit.score(), 1e-5);
        baseError = Math.max(baseError,
            Math.abs((1 + index.score(baseQuery, hit.id())) / 2 - hit.score()));
      }
      assertTrue("the base query vector would score the same: " + baseError, baseError > 1e-4);
    } finally {
      System.clearProperty("whetstone.query.model.path");
    }
  }

  @Test
  public void aDivergingRunStopsAtTheFirstNonFiniteValueAndIsNotPromoted() throws Exception {
    Path output = temp.getRoot().toPath().resolve("full-diverged");
    // a learning rate of 1e30 moves the weights to ~1e30 in one step: the second forward pass
    // overflows, so the loss of step 2 is NaN
    ByteArrayOutputStream log = new ByteArrayOutputStream();
    TrainingReport report = new TrainingJob(config(TrainingMode.FULL, output, 1e30f, 3, false),
        new PrintStream(log, true, StandardCharsets.UTF_8)).run();

    assertNotNull(report.gate(), report.divergence());
    assertTrue(report.divergence(), report.divergence().startsWith("diverged at step 2: loss is NaN "
        + "in the batch of 8 queries"));
    assertEquals("the step that diverged is not recorded", 1, report.steps().size());
    assertFalse(report.promoted());
    assertTrue(report.gate(), report.gate().startsWith("not promoted: " + report.divergence()));
    assertFalse(Files.exists(output));
    assertNull("nothing was evaluated after the divergence", report.candidate());
    assertNotNull(report.baselines().bm25().dev());
    assertTrue(log.toString(StandardCharsets.UTF_8).contains(report.divergence()));
    Path work = output.resolveSibling(output.getFileName() + ".work");
    String md = Files.readString(work.resolve("report").resolve("report.md"));
    assertTrue(md, md.contains("**Training stopped:** " + report.divergence()));
  }

  @Test
  public void aModelThatBeatsTheCurrentOneOnDevIsPromotedWithoutForce() throws Exception {
    // dev = the train queries: a few epochs on them must beat the base model there
    Path data = SciFactSlice.withTrainAsDev(slice, temp.newFolder("train-as-dev").toPath());
    Path output = temp.getRoot().toPath().resolve("promoted");
    TrainingConfig config = small(TrainingMode.QUERY_TOWER, data, output).epochs(4)
        .learningRate(1e-4f).build();
    TrainingReport report = run(config);

    assertNull(report.divergence());
    assertEquals(4, report.evaluations().size() - 1);
    assertTrue(report.gate(), report.promoted());
    assertTrue(report.gate(), report.gate().startsWith("promoted: dev nDCG@10 ")
        && report.gate().contains("paired t") && !report.gate().contains("forced"));
    assertTrue(report.candidate().dev().ndcg10() > report.baselines().base().dev().ndcg10());
    // what {!hybrid} would serve with it, on the same queries
    assertEquals(report.candidate().dev().queries(), report.candidateHybrid().dev().queries());
    assertEquals(output.toString(), report.output());
    ModelDirectory promoted = ModelDirectory.open(output);
    assertEquals(base.manifest().fingerprint(), promoted.manifest().documentTowerFingerprint());
    // the promoted tower comes calibrated for itself, so Solr serves minRelevance at once
    CosineAdapter calibration = CosineAdapter.forModel(output, promoted.manifest()).orElseThrow();
    assertEquals(promoted.manifest().fingerprint(), calibration.queryFingerprint());
    assertEquals(base.manifest().fingerprint(), calibration.documentFingerprint());
    // ... and fitted on the base's document vectors, the ones Solr's index holds: the tower
    // embedded queries only
    try (var cached = Files.list(config.workDir().resolve("vectors"))) {
      List<String> towerFiles = cached.map(file -> file.getFileName().toString())
          .filter(file -> file.startsWith(promoted.manifest().name() + "-")).toList();
      assertFalse(towerFiles.toString(), towerFiles.isEmpty());
      assertTrue(towerFiles.toString(), towerFiles.stream().allMatch(f -> f.contains("-queries-")));
    }
  }

  @Test
  public void aTimeBudgetSmallerThanThePlanCutsTheStepsAndSaysSo() throws Exception {
    Path output = temp.getRoot().toPath().resolve("budget");
    // 18 training queries in batches of 8: 3 steps per epoch, 9 in 3 epochs. A budget of 1 s is
    // spent before the first step (loading, baselines, mining), so the loop keeps only the 4
    // steps it took to measure a step's time.
    TrainingConfig config = small(TrainingMode.QUERY_TOWER, slice, output).epochs(3)
        .learningRate(2e-5f).timeBudgetSeconds(1).force(true).build();
    Printed run = runPrinting(config);
    TrainingReport report = run.report();
    String printed = run.console();
    assertTrue(printed, printed.contains("Training (query-tower): 18 examples per epoch"));
    assertTrue(printed, printed.contains("Time budget 0:01: 4 of 9 steps fit (ETA "));
    assertTrue(printed, printed.contains("warm-up and decay are sized to 4 steps"));
    assertEquals(4, report.plannedSteps());
    assertEquals(4, report.steps().size());
    assertEquals("an evaluation after the last step", 4,
        report.evaluations().get(report.evaluations().size() - 1).step());
  }

  @Test
  public void aDataSetTooSmallForMinStepsRunsMoreEpochs() throws Exception {
    Path output = temp.getRoot().toPath().resolve("min-steps");
    // 18 training queries in batches of 8: 3 steps per epoch; --epochs 1 with --min-steps 5 takes
    // two epochs (6 steps), each evaluated on dev
    TrainingConfig config = small(TrainingMode.QUERY_TOWER, slice, output).epochs(1)
        .learningRate(2e-5f).minSteps(5).force(true).build();
    Printed run = runPrinting(config);
    TrainingReport report = run.report();
    String printed = run.console();
    assertTrue(printed, printed.contains(
        "2 epoch(s) (--epochs 1 raised to reach --min-steps 5): 6 steps; 2 dev evaluations"));
    assertEquals(6, report.steps().size());
    assertEquals(List.of(0, 3, 6),
        report.evaluations().stream().map(TrainingReport.EvalRecord::step).toList());
  }

  /** Fails the job on the first output containing {@code marker}, like a crash at that point. */
  private static final class CrashingOutput extends OutputStream {
    private final String marker;
    private final StringBuilder seen = new StringBuilder();

    CrashingOutput(String marker) {
      this.marker = marker;
    }

    @Override
    public void write(int b) {
      seen.append((char) b);
      if (seen.indexOf(marker) >= 0) {
        throw new IllegalStateException("simulated crash at '" + marker + "'");
      }
    }
  }

  @Test
  public void aResumedRunContinuesExactlyWhereTheCheckpointLeftOff() throws Exception {
    Path work = temp.newFolder("resume").toPath();
    // 18 training queries in batches of 8: 3 steps per epoch, so step 4 is in the second epoch
    TrainingReport uninterrupted = run(config(TrainingMode.QUERY_TOWER, work.resolve("straight"),
        5e-5f, 2, 4, 2, true, false));
    TrainingReport again = run(config(TrainingMode.QUERY_TOWER, work.resolve("again"),
        5e-5f, 2, 4, 2, true, false));
    List<Float> losses = uninterrupted.steps().stream().map(s -> s.loss()).toList();
    assertEquals(4, losses.size());
    for (int i = 0; i < 4; i++) { // --seed makes a run repeatable
      assertEquals(losses.get(i), again.steps().get(i).loss(), 1e-5f);
    }

    Path output = work.resolve("crashed");
    TrainingConfig first = config(TrainingMode.QUERY_TOWER, output, 5e-5f, 2, 4, 2, true, false);
    IllegalStateException crash = assertThrows(IllegalStateException.class,
        () -> new TrainingJob(first, new PrintStream(new CrashingOutput(" 3/4 steps"), true,
            StandardCharsets.UTF_8)).run());
    assertTrue(crash.getMessage(), crash.getMessage().startsWith("simulated crash"));
    assertFalse(Files.exists(output));

    TrainingReport resumed =
        run(config(TrainingMode.QUERY_TOWER, output, 5e-5f, 2, 4, 2, true, true));
    assertEquals(4, resumed.steps().size());
    for (int i = 0; i < 4; i++) {
      assertEquals("step " + (i + 1), losses.get(i), resumed.steps().get(i).loss(), 1e-5f);
    }
    assertEquals(uninterrupted.candidate().dev().ndcg10(), resumed.candidate().dev().ndcg10(),
        1e-6);
    assertTrue(resumed.promoted());
  }
}
