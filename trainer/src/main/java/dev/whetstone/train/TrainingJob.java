package dev.whetstone.train;

import ai.djl.ndarray.NDManager;
import dev.whetstone.batch.TrainingExample;
import dev.whetstone.console.ProgressBar;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.Qrels;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.Runs;
import dev.whetstone.export.OnnxExport;
import dev.whetstone.loss.InfoNceLoss;
import dev.whetstone.mine.CandidateSource;
import dev.whetstone.mine.DenseIndex;
import dev.whetstone.mine.EmbeddingCache;
import dev.whetstone.mine.MinedQuery;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.nn.SentenceEncoder;
import dev.whetstone.report.ReportWriter;
import dev.whetstone.report.TrainingReport;
import dev.whetstone.report.TrainingReport.EvalRecord;
import dev.whetstone.report.TrainingReport.StepRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
import org.apache.lucene.util.IOUtils;

/**
 * The retraining job: data → baselines → mining → training → export → evaluation through the
 * shared encoder → promotion gate → report. Every phase prints progress; the run checkpoints after
 * each dev evaluation and resumes from there.
 */
public final class TrainingJob {
  private final TrainingConfig config;
  private final PrintStream out;
  private final Map<String, Long> counters = new LinkedHashMap<>();

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
    out.printf(Locale.ROOT, "Data %s: %d documents, %d train / %d dev%s / %d test queries%n",
        dataset.name(), data.corpus().size(), data.splits().train().queryIds().size(),
        data.splits().dev().queryIds().size(),
        data.splits().devCarved() ? " (carved from train)" : "",
        data.splits().test() == null ? 0 : data.splits().test().queryIds().size());

    try (Encoder shared = Encoder.load(base);
        CandidateSource bm25 = Mining.bm25(config, data, out)) {
      out.println("Embedding the corpus with the current model " + base.manifest().name());
      float[][] baseDocuments = vectors().documents(shared, data.corpus());
      DenseIndex baseIndex = new DenseIndex(data.documentIds(), baseDocuments);
      Map<String, Map<String, Evaluation>> baselines = baselines(shared, bm25, baseIndex, data);

      try (Mining mining = new Mining(config, data, bm25, shared, baseIndex, vectors(), out);
          SentenceEncoder model = SentenceEncoder.load(base, config.dropout())) {
        List<MinedQuery> mined = mining.mine(config.mining().hnsw()
            ? DenseIndex.withHnsw(data.documentIds(), baseDocuments) : baseIndex);
        Training training = new Training(model, data, baseIndex, mining, mined);
        TrainingState state = training.run(baselines.get("base").get("dev"));
        counters.putAll(mining.counts());
        return finish(started, training.secondsPerStep(), base, model, data, baseIndex, baselines,
            state);
      }
    }
  }

  private EmbeddingCache vectors() {
    return new EmbeddingCache(config.workDir().resolve("vectors"), out);
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

  private Map<String, Map<String, Evaluation>> baselines(Encoder shared, CandidateSource bm25,
      DenseIndex baseIndex, TrainingData data) throws IOException {
    Map<String, Map<String, Evaluation>> baselines = new LinkedHashMap<>();
    for (Map.Entry<String, Qrels> split : data.evaluationSplits().entrySet()) {
      Map<String, String> queries = data.queryTexts(split.getValue());
      var lexical = Runs.lexical(bm25, queries);
      var dense = Runs.dense(baseIndex, encode(queries, shared::encodeQueries));
      put(baselines, "bm25", split.getKey(), Evaluation.of(split.getValue(), Runs.ids(lexical)));
      put(baselines, "base", split.getKey(), Evaluation.of(split.getValue(), Runs.ids(dense)));
      put(baselines, "hybrid", split.getKey(),
          Evaluation.of(split.getValue(), Runs.fuse(lexical, dense)));
    }
    baselines.forEach((name, splits) -> splits.forEach((split, e) -> out.printf(Locale.ROOT,
        "  %-7s %-4s nDCG@10 %.4f  MRR@10 %.4f  R@100 %.4f%n", name, split, e.ndcg10(), e.mrr10(),
        e.recall100())));
    return baselines;
  }

  private static void put(Map<String, Map<String, Evaluation>> table, String retriever,
      String split, Evaluation evaluation) {
    table.computeIfAbsent(retriever, k -> new LinkedHashMap<>()).put(split, evaluation);
  }

  static Map<String, float[]> encode(Map<String, String> queries,
      Function<List<String>, float[][]> encoder) {
    List<String> ids = new ArrayList<>(queries.keySet());
    float[][] vectors = encoder.apply(ids.stream().map(queries::get).toList());
    Map<String, float[]> byId = new LinkedHashMap<>();
    for (int i = 0; i < ids.size(); i++) {
      byId.put(ids.get(i), vectors[i]);
    }
    return byId;
  }

  /** The training loop with its periodic re-mining, dev evaluation and checkpoints. */
  private final class Training {
    private final SentenceEncoder model;
    private final TrainingData data;
    private final DenseIndex baseIndex;
    private final Mining mining;
    private List<TrainingExample> examples;
    private final Path checkpoint = config.workDir().resolve("checkpoint");
    private final Path bestWeights = config.workDir().resolve("best.params");
    /** Time in optimizer steps alone (no evaluation, re-mining or checkpoints) in this process. */
    private long stepNanos;
    private int stepsRun;

    Training(SentenceEncoder model, TrainingData data, DenseIndex baseIndex, Mining mining,
        List<MinedQuery> mined) {
      this.model = model;
      this.data = data;
      this.baseIndex = baseIndex;
      this.mining = mining;
      this.examples = mining.examples(mined);
    }

    TrainingState run(Evaluation baseDev) throws IOException {
      // the sampler may need more batches than examples / batch size to keep texts unique
      int totalSteps = 0;
      for (int epoch = 0; epoch < config.epochs(); epoch++) {
        totalSteps += batches(epoch).size();
      }
      if (config.maxSteps() > 0) {
        totalSteps = Math.min(totalSteps, config.maxSteps());
      }
      LearningRateSchedule schedule = new LearningRateSchedule(config.learningRate(),
          Math.round(totalSteps * config.warmupFraction()), totalSteps);
      NDManager manager = model.model().getNDManager();
      AdamW optimizer = new AdamW(manager, config.weightDecay());
      InfoNceLoss loss = new InfoNceLoss(config.temperature());
      TrainingStep trainingStep = config.mode() == TrainingMode.FULL
          ? new FullModelStep(model, loss, optimizer, data.documentTexts(), config.chunkSize())
          : new QueryTowerStep(model, loss, optimizer, baseIndex);

      TrainingState state = TrainingState.start(config.mode(), model.manifest().fingerprint(),
          config.seed());
      if (config.resume() && Checkpoint.exists(checkpoint)) {
        state = Checkpoint.load(checkpoint, model, optimizer);
        checkResumable(state);
        out.printf(Locale.ROOT, "Resuming at step %d (epoch %d, batch %d)%n", state.step(),
            state.epoch() + 1, state.batchInEpoch());
        if (state.step() > 0 && config.remineEvery() > 0) {
          remine();
        }
      } else {
        state.evaluations().add(new EvalRecord(0, baseDev));
        state = withBest(state, baseDev.ndcg10(), 0);
      }
      out.printf(Locale.ROOT, "Training (%s): %d examples, %d steps of %d queries, %d epoch(s)%n",
          config.mode().label(), examples.size(), totalSteps, config.batchSize(), config.epochs());
      ProgressBar progress = new ProgressBar(out, "steps", totalSteps);
      int step = state.step();
      float recentLoss = Float.NaN;
      for (int epoch = state.epoch(); epoch < config.epochs() && step < totalSteps; epoch++) {
        List<List<TrainingExample>> batches = batches(epoch);
        int first = epoch == state.epoch() ? state.batchInEpoch() : 0;
        for (int b = first; b < batches.size() && step < totalSteps; b++) {
          ContrastiveBatch batch = ContrastiveBatch.of(batches.get(b), mining.mask());
          float rate = schedule.rate(step);
          long stepStarted = System.nanoTime();
          recentLoss = trainingStep.step(batch, rate);
          stepNanos += System.nanoTime() - stepStarted;
          stepsRun++;
          step++;
          state.steps().add(new StepRecord(step, recentLoss, rate));
          progress.update(step);
          boolean endOfEpoch = b == batches.size() - 1;
          if (config.remineEvery() > 0 && step % config.remineEvery() == 0 && step < totalSteps) {
            remine();
          }
          boolean due = config.evalEvery() > 0 ? step % config.evalEvery() == 0 : endOfEpoch;
          if (due || step == totalSteps) {
            state = evaluate(state, step, endOfEpoch ? epoch + 1 : epoch, endOfEpoch ? 0 : b + 1,
                recentLoss);
            Checkpoint.save(checkpoint, model, optimizer, state);
          }
        }
      }
      return state;
    }

    double secondsPerStep() {
      return stepsRun == 0 ? 0 : stepNanos / 1e9 / stepsRun;
    }

    /** An epoch's batches: the same for the same seed, examples and epoch (a resume redraws them). */
    private List<List<TrainingExample>> batches(int epoch) {
      return mining.sampler().batches(examples, config.batchSize(),
          new Random(config.seed() * 31 + epoch));
    }

    private TrainingState evaluate(TrainingState state, int step, int epoch, int batchInEpoch,
        float loss) throws IOException {
      Evaluation dev = evaluateDev();
      out.printf(Locale.ROOT, "%n  step %d: loss %.4f, dev nDCG@10 %.4f (best %.4f at step %d)%n",
          step, loss, dev.ndcg10(), state.bestDev(), state.bestStep());
      state.evaluations().add(new EvalRecord(step, dev));
      TrainingState next = new TrainingState(state.mode(), state.baseFingerprint(), state.seed(),
          step, epoch, batchInEpoch, state.bestDev(), state.bestStep(), state.steps(),
          state.evaluations());
      if (dev.ndcg10() > state.bestDev() || state.bestStep() == 0 && config.force()) {
        Checkpoint.saveWeights(model, bestWeights);
        next = withBest(next, dev.ndcg10(), step);
      }
      return next;
    }

    /** Dev metrics of the current weights, exported and run by the shared encoder as in Solr. */
    private Evaluation evaluateDev() throws IOException {
      try (Encoder current = Encoder.load(snapshot(model, config.workDir().resolve("snapshot")))) {
        DenseIndex index = documentIndex(current, data, baseIndex);
        return evaluateDense(current, index, data.splits().dev(), data);
      }
    }

    private void remine() throws IOException {
      try (Encoder current = Encoder.load(snapshot(model, config.workDir().resolve("snapshot")))) {
        examples = mining.remine(current::encodeQueries, documentIndex(current, data, baseIndex));
      }
    }

    private void checkResumable(TrainingState state) {
      if (!state.mode().equals(config.mode().label()) || state.seed() != config.seed()
          || !state.baseFingerprint().equals(model.manifest().fingerprint())) {
        throw new IllegalArgumentException("checkpoint in " + checkpoint + " is from another run ("
            + state.mode() + ", seed " + state.seed() + ", base " + state.baseFingerprint()
            + "): resume with the same mode, seed and model, or use a new --work-dir");
      }
    }
  }

  private static TrainingState withBest(TrainingState s, double bestDev, int bestStep) {
    return new TrainingState(s.mode(), s.baseFingerprint(), s.seed(), s.step(), s.epoch(),
        s.batchInEpoch(), bestDev, bestStep, s.steps(), s.evaluations());
  }

  private TrainingReport finish(long started, double secondsPerStep, ModelDirectory base,
      SentenceEncoder model, TrainingData data, DenseIndex baseIndex,
      Map<String, Map<String, Evaluation>> baselines, TrainingState state) throws IOException {
    Path bestWeights = config.workDir().resolve("best.params");
    Map<String, Evaluation> candidate = new LinkedHashMap<>();
    boolean promoted = false;
    String gate;
    Path output = null;
    if (state.bestStep() == 0) {
      gate = String.format(Locale.ROOT, "not promoted: no evaluation beat the current model's dev "
          + "nDCG@10 %.4f (use --force to export anyway)",
          baselines.get("base").get("dev").ndcg10());
    } else {
      Checkpoint.loadWeights(model, bestWeights);
      ModelDirectory candidateDir = snapshot(model, config.workDir().resolve("candidate"));
      out.println("Evaluating the exported model through the shared encoder (ONNX Runtime)");
      try (Encoder trained = Encoder.load(candidateDir)) {
        DenseIndex index = documentIndex(trained, data, baseIndex);
        for (Map.Entry<String, Qrels> split : data.evaluationSplits().entrySet()) {
          candidate.put(split.getKey(), evaluateDense(trained, index, split.getValue(), data));
        }
      }
      double baseDev = baselines.get("base").get("dev").ndcg10();
      double candidateDev = candidate.get("dev").ndcg10();
      boolean better = candidateDev > baseDev;
      promoted = better || config.force();
      gate = String.format(Locale.ROOT, "%s: dev nDCG@10 %.4f vs current %.4f%s",
          promoted ? "promoted" : "not promoted", candidateDev, baseDev,
          !better && promoted ? " (forced)" : "");
      if (promoted) {
        output = config.output();
        Files.createDirectories(output.toAbsolutePath().getParent());
        IOUtils.rm(output);
        Files.move(candidateDir.path(), output, StandardCopyOption.ATOMIC_MOVE);
      }
    }
    out.println(gate);
    TrainingReport report = new TrainingReport(config.mode().label(), base.path().toString(),
        config.data().toString(), settings(), baselines, state.steps(), state.evaluations(),
        candidate, promoted, gate, output == null ? null : output.toString(), counters,
        (System.nanoTime() - started) / 1e9, secondsPerStep);
    Path reportDir = config.workDir().resolve("report");
    ReportWriter.write(report, reportDir);
    out.println("Report: " + reportDir.resolve("report.md"));
    return report;
  }

  /** The current weights as a model directory Solr loads: the ONNX graph with them written in. */
  private ModelDirectory snapshot(SentenceEncoder model, Path dir) throws IOException {
    IOUtils.rm(dir);
    ModelManifest base = model.manifest();
    String documentTower = config.mode() == TrainingMode.QUERY_TOWER ? base.fingerprint() : null;
    return OnnxExport.write(model, dir, config.name(), nextVersion(base), documentTower);
  }

  /** The corpus as a model sees it: re-embedded in full mode, the fixed index otherwise. */
  private DenseIndex documentIndex(Encoder encoder, TrainingData data, DenseIndex baseIndex)
      throws IOException {
    return config.mode() == TrainingMode.QUERY_TOWER ? baseIndex
        : new DenseIndex(data.documentIds(), vectors().documents(encoder, data.corpus()));
  }

  private static Evaluation evaluateDense(Encoder encoder, DenseIndex index, Qrels split,
      TrainingData data) {
    return Evaluation.of(split,
        Runs.ids(Runs.dense(index, encode(data.queryTexts(split), encoder::encodeQueries))));
  }

  private static String nextVersion(ModelManifest manifest) {
    try {
      return Integer.toString(Integer.parseInt(manifest.version()) + 1);
    } catch (NumberFormatException e) {
      return manifest.version() + "+1";
    }
  }

  private Map<String, Object> settings() {
    Map<String, Object> settings = new LinkedHashMap<>();
    settings.put("epochs", config.epochs());
    settings.put("batchSize", config.batchSize());
    settings.put("negatives", config.negatives());
    settings.put("learningRate", config.learningRate());
    settings.put("warmupFraction", config.warmupFraction());
    settings.put("weightDecay", config.weightDecay());
    settings.put("temperature", config.temperature());
    settings.put("maxSteps", config.maxSteps());
    settings.put("remineEvery", config.remineEvery());
    settings.put("topicClusters", config.topicClusters());
    settings.put("seed", config.seed());
    settings.put("mining", config.mining());
    return settings;
  }
}
