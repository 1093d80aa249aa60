package dev.whetstone.train;

import dev.whetstone.batch.QueryPool;
import dev.whetstone.calibrate.CalibrationJob;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.eval.Baselines;
import dev.whetstone.mine.MinedQuery;
import dev.whetstone.mine.RetrievalSetup;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.nn.SentenceEncoder;
import dev.whetstone.report.ReportWriter;
import dev.whetstone.report.TrainingReport;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.EmbeddingCache;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.RecordComponent;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The retraining job, phase by phase: data → baselines → mining → training ({@link TrainingLoop})
 * → promotion gate ({@link PromotionGate}) → calibration of the promoted model (Cosine Adapter,
 * {@link CalibrationJob}; skipped when nothing is promoted) → report. Every phase prints progress;
 * the run checkpoints after each dev evaluation and resumes from there.
 */
public final class TrainingJob {
  private final TrainingConfig config;
  private final PrintStream out;

  public TrainingJob(TrainingConfig config, PrintStream out) {
    this.config = config;
    this.out = out;
  }

  public TrainingReport run() throws IOException {
    long started = System.nanoTime();
    Files.createDirectories(config.workDir());
    refuseNonEmptyOutput();
    BeirDataset dataset = BeirDataset.open(config.data());
    TrainingData data = TrainingData.load(dataset, config, out);
    ModelDirectory base = ModelDirectory.open(config.baseModel());
    if (base.manifest().documentTowerFingerprint() != null) {
      throw new IllegalArgumentException(base.path() + " is a query-only model (it pairs with "
          + "document model " + base.manifest().documentTowerFingerprint() + "); train from the "
          + "model that embeds both sides");
    }
    out.printf(Locale.ROOT, "Data %s: %d documents, %d train / %d dev / %d test queries (%s)%n",
        dataset.name(), data.corpus().size(), data.splits().train().queryIds().size(),
        data.splits().dev().queryIds().size(),
        data.splits().test() == null ? 0 : data.splits().test().queryIds().size(),
        data.splits().origin());

    EmbeddingCache vectors = new EmbeddingCache(config.workDir().resolve("vectors"), out);
    try (RetrievalSetup retrieval = RetrievalSetup.load(base, base.manifest().name(), vectors,
            config.modelsDir(), out);
        CandidateSource bm25 = Mining.bm25(config, data, out)) {
      if (data.indexedVectors() != null) {
        vectors.seedDocuments(base.manifest(), data.corpus(), data.indexedVectors());
      } else {
        out.println("Embedding the corpus with the current model " + base.manifest().name());
      }
      DenseIndex baseIndex = retrieval.embedCorpus(data.corpus());
      Encoder shared = retrieval.encoder();
      ModelSnapshots snapshots = new ModelSnapshots(config, data, baseIndex, vectors);
      BaselineRuns baselineRuns = BaselineRuns.measure(shared, bm25, baseIndex, data, out);
      Baselines baselines = baselineRuns.baselines();

      try (Mining mining = new Mining(config, data, bm25, retrieval, out);
          SentenceEncoder model = SentenceEncoder.load(base, config.dropout())) {
        long miningStarted = System.nanoTime();
        List<MinedQuery> mined = mining.mine();
        List<QueryPool> pools = mining.pools(mined);
        TrainingLoop loop = new TrainingLoop(config, data, model, mining, snapshots, pools,
            (System.nanoTime() - miningStarted) / 1e9, started, out);
        TrainingState state = loop.run(baselines.base().dev());
        PromotionGate.Decision decision = new PromotionGate(config, data, snapshots, out)
            .decide(state, baselineRuns, model, loop.bestWeights());
        if (decision.output() != null) {
          calibrate(ModelDirectory.open(decision.output()), base, dataset, data, vectors);
        }
        TrainingReport report = new TrainingReport(config.mode().label(), base.path().toString(),
            config.data().toString(), data.splits().origin(), settings(), baselines, pools.size(),
            loop.plannedSteps(), state.steps(), state.evaluations(), decision.candidate(),
            decision.candidateHybrid(), decision.promoted(), decision.reason(), state.divergence(),
            decision.output() == null ? null : decision.output().toString(), mining.counts(),
            (System.nanoTime() - started) / 1e9, loop.secondsPerStep());
        Path reportDir = config.workDir().resolve("report");
        ReportWriter.write(report, reportDir);
        out.println("Report: " + reportDir.resolve("report.md"));
        return report;
      }
    }
  }

  /**
   * Fits the promoted model's calibration on the same splits: a new model never carries its
   * predecessor's {@code calibration.json}, so {@code minRelevance} keeps working after retraining.
   * A promoted query tower is calibrated against the base's document vectors, the ones it is
   * served with.
   */
  private void calibrate(ModelDirectory promoted, ModelDirectory base, BeirDataset dataset,
      TrainingData data, EmbeddingCache vectors) throws IOException {
    out.println("Calibrating the promoted model's scores (Cosine Adapter)");
    CalibrationJob job = new CalibrationJob(vectors, config.mining().relativeMargin(),
        config.seed(), out);
    ModelDirectory documentModel = config.mode() == TrainingMode.QUERY_TOWER ? base : null;
    job.run(promoted, documentModel, dataset, data.splits(), data.queries()).close();
  }

  private void refuseNonEmptyOutput() throws IOException {
    Path output = config.output();
    if (Files.isDirectory(output)) {
      try (var entries = Files.list(output)) {
        if (entries.findAny().isPresent()) {
          throw new IllegalArgumentException("output " + output + " is not empty: choose a new "
              + "folder for the trained model (nothing is overwritten)");
        }
      }
    } else if (Files.exists(output)) {
      throw new IllegalArgumentException("output " + output + " exists and is not a folder");
    }
  }

  /** Every setting of the run, by its name in {@link TrainingConfig}. */
  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    for (RecordComponent component : TrainingConfig.class.getRecordComponents()) {
      try {
        Object value = component.getAccessor().invoke(config);
        settings.put(component.getName(), value instanceof Path ? value.toString() : value);
      } catch (ReflectiveOperationException e) {
        throw new IllegalStateException("cannot read setting " + component.getName(), e);
      }
    }
    return settings;
  }
}
