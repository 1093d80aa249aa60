package dev.whetstone.train;

import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.whetstone.batch.QueryPool;
import dev.whetstone.batch.TrainingExample;
import dev.whetstone.batch.TrainingExamples;
import dev.whetstone.data.Seeds;
import dev.whetstone.console.ProgressBar;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.filter.RelevanceScorer;
import dev.whetstone.loss.InfoNceLoss;
import dev.whetstone.loss.ScoreDistillationLoss;
import dev.whetstone.model.Encoder;
import dev.whetstone.nn.SentenceEncoder;
import dev.whetstone.optim.AdamW;
import dev.whetstone.report.TrainingReport.EvalRecord;
import dev.whetstone.report.TrainingReport.StepRecord;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Random;

/**
 * The optimizer steps with their plan, numeric guard, periodic re-mining, dev evaluation and
 * checkpoints. The plan is printed before the work: examples, steps, seconds per step measured on
 * the first steps, and the ETA; a time budget shortens it to fit, schedule included.
 */
final class TrainingLoop {
  /** The first step pays for native warm-up and is not timed. */
  private static final int UNTIMED_STEPS = 1;
  private static final int TIMED_STEPS = 3;

  private final TrainingConfig config;
  private final TrainingData data;
  private final SentenceEncoder model;
  private final Mining mining;
  private final ModelSnapshots snapshots;
  private final PrintStream out;
  private final long jobStartNanos;
  private final double miningSeconds;
  private final Path checkpoint;
  private final Path bestWeights;
  private List<QueryPool> pools;
  /** Time in timed optimizer steps alone (no evaluation, re-mining or checkpoints). */
  private long stepNanos;
  private int stepsTimed;
  private int plannedSteps;

  /**
   * @param miningSeconds how long the first mining took: a re-mining costs about as much
   * @param jobStartNanos {@link System#nanoTime} at the job's start, where a time budget starts
   */
  TrainingLoop(TrainingConfig config, TrainingData data, SentenceEncoder model, Mining mining,
      ModelSnapshots snapshots, List<QueryPool> pools, double miningSeconds, long jobStartNanos,
      PrintStream out) {
    this.config = config;
    this.data = data;
    this.model = model;
    this.mining = mining;
    this.snapshots = snapshots;
    this.pools = pools;
    this.miningSeconds = miningSeconds;
    this.jobStartNanos = jobStartNanos;
    this.out = out;
    this.checkpoint = config.workDir().resolve("checkpoint");
    this.bestWeights = config.workDir().resolve("best.params");
  }

  /** Where the best dev weights are saved as training goes. */
  Path bestWeights() {
    return bestWeights;
  }

  /** The steps the run set out to take: planned, then fitted to the time budget. */
  int plannedSteps() {
    return plannedSteps;
  }

  /** Mean seconds of a timed optimizer step (forward, backward, checks, update). */
  double secondsPerStep() {
    return stepsTimed == 0 ? 0 : stepNanos / 1e9 / stepsTimed;
  }

  TrainingState run(Evaluation baseDev) throws IOException {
    List<Integer> stepsPerEpoch = epochs();
    RunPlan plan = RunPlan.of(stepsPerEpoch, config.maxSteps(), config.evalEvery(),
        config.remineEvery());
    AdamW optimizer = new AdamW(model.model().getNDManager(), config.weightDecay());
    DistillationConfig distillation = config.distillation();
    BatchLoss loss = new BatchLoss(new InfoNceLoss(config.temperature()),
        distillation.enabled() ? new ScoreDistillationLoss(config.temperature(),
            distillation.teacherTemperature()) : null, distillation.weight());
    RelevanceScorer distillFrom = loss.distills() ? mining.teacher() : null;
    TrainingStep trainingStep = config.mode() == TrainingMode.FULL
        ? new FullModelStep(model, loss, data.documentTexts(), config.chunkSize())
        : new QueryTowerStep(model, loss, snapshots.baseIndex());

    TrainingState state = TrainingState.start(config.mode(), model.manifest().fingerprint(),
        config.seed());
    if (config.resume() && Checkpoint.exists(checkpoint)) {
      state = Checkpoint.load(checkpoint, model, optimizer);
      checkResumable(state);
      if (state.totalSteps() > 0) {
        plan = plan.withTotalSteps(state.totalSteps());
      }
      out.printf(Locale.ROOT, "Resuming at step %d (epoch %d, batch %d)%n", state.step(),
          state.epoch() + 1, state.batchInEpoch());
      if (state.step() > 0 && config.remineEvery() != 0) {
        remine(state.step());
      }
    } else {
      state.evaluations().add(new EvalRecord(0, baseDev));
      state = state.withBest(baseDev.ndcg10(), 0);
    }
    describe(plan);
    plannedSteps = plan.totalSteps();
    boolean planned = state.totalSteps() > 0;
    LearningRateSchedule schedule = schedule(plan);
    ProgressBar progress = new ProgressBar(out, "steps", plan.totalSteps(), state.step());
    PairList<String, Parameter> parameters = model.model().getBlock().getParameters();
    int step = state.step();
    int firstTimed = step + UNTIMED_STEPS + 1; // this process's first steps pay native warm-up
    try {
      for (int epoch = state.epoch(); epoch < plan.stepsPerEpoch().size()
          && step < plan.totalSteps(); epoch++) {
        List<List<TrainingExample>> batches = batches(epoch);
        int first = epoch == state.epoch() ? state.batchInEpoch() : 0;
        for (int b = first; b < batches.size() && step < plan.totalSteps(); b++) {
          ContrastiveBatch batch = ContrastiveBatch.of(batches.get(b), mining.mask(),
              distillFrom);
          float rate = schedule.rate(step);
          int current = step + 1;
          long started = System.nanoTime();
          float batchLoss = trainingStep.backward(batch);
          NumericGuard.checkLoss(batchLoss, current, batch);
          NumericGuard.checkGradients(parameters, current, batch);
          optimizer.step(parameters, rate);
          NumericGuard.checkWeights(parameters, current, batch);
          if (current >= firstTimed) {
            stepNanos += System.nanoTime() - started;
            stepsTimed++;
          }
          step = current;
          state.steps().add(new StepRecord(step, batchLoss, rate));
          progress.update(step);
          if (!planned && (stepsTimed == TIMED_STEPS || step == plan.totalSteps())) {
            plan = measureAndFit(plan, step);
            plannedSteps = plan.totalSteps();
            planned = true;
            state = state.withTotalSteps(plan.totalSteps());
            schedule = schedule(plan);
            progress.resize(plan.totalSteps());
            progress.update(step);
          }
          boolean endOfEpoch = b == batches.size() - 1;
          if (plan.remineDue(step)) {
            remine(step);
          }
          if (plan.evaluationDue(step)) {
            state = evaluate(state.at(step, endOfEpoch ? epoch + 1 : epoch,
                endOfEpoch ? 0 : b + 1), step, batchLoss);
            Checkpoint.save(checkpoint, model, optimizer, state);
          }
        }
      }
    } catch (TrainingDiverged e) {
      out.printf(Locale.ROOT, "%n%s%n", e.getMessage());
      return state.diverged(e.getMessage());
    }
    return state;
  }

  /**
   * Steps of each epoch the run takes: {@code --epochs} of them, or more when those fall short of
   * {@code --min-steps} (a small data set's few batches would end before dev could tell).
   */
  private List<Integer> epochs() {
    List<Integer> stepsPerEpoch = new ArrayList<>();
    int total = 0;
    for (int epoch = 0; epoch < config.epochs() || total < config.minSteps(); epoch++) {
      int steps = batches(epoch).size();
      if (steps == 0) {
        break;
      }
      stepsPerEpoch.add(steps);
      total += steps;
    }
    return stepsPerEpoch;
  }

  private LearningRateSchedule schedule(RunPlan plan) {
    return new LearningRateSchedule(config.learningRate(),
        Math.round(plan.totalSteps() * config.warmupFraction()), Math.max(1, plan.totalSteps()));
  }

  private void describe(RunPlan plan) {
    int perEpoch = plan.stepsPerEpoch().isEmpty() ? 0 : plan.stepsPerEpoch().get(0);
    int epochs = plan.stepsPerEpoch().size();
    out.printf(Locale.ROOT, "Training (%s): %d examples per epoch (one per training query), "
        + "%d steps per epoch of up to %d queries, %d epoch(s)%s: %d steps%s; %d dev evaluations, "
        + "%d re-minings; InfoNCE temperature %s%n", config.mode().label(), pools.size(), perEpoch,
        config.batchSize(),
        epochs, epochs > config.epochs() ? String.format(Locale.ROOT,
            " (--epochs %d raised to reach --min-steps %d)", config.epochs(),
            config.minSteps()) : "",
        plan.totalSteps(), config.maxSteps() > 0 ? " (--max-steps)" : "",
        plan.evaluations(), plan.reminings(), config.temperature());
  }

  /**
   * Times the rest of the job from the steps run so far and a timed export and embedding, prints
   * the ETA, and shortens the plan to the time budget when there is one.
   */
  private RunPlan measureAndFit(RunPlan plan, int done) throws IOException {
    double perStep = stepsTimed > 0 ? secondsPerStep()
        : (System.nanoTime() - jobStartNanos) / 1e9; // only untimed steps ran: a pessimistic bound
    ModelSnapshots.Throughput speed = snapshots.measure(model);
    double corpus = config.mode() == TrainingMode.FULL
        ? data.corpus().size() / speed.documentsPerSecond() : 0;
    int devQueries = data.splits().dev().queryIds().size();
    int testQueries = data.splits().test() == null ? 0 : data.splits().test().queryIds().size();
    RunPlan.Costs costs = new RunPlan.Costs(perStep,
        speed.exportSeconds() + devQueries / speed.queriesPerSecond() + corpus,
        miningSeconds + pools.size() / speed.queriesPerSecond() + corpus,
        speed.exportSeconds() + (devQueries + testQueries) / speed.queriesPerSecond() + corpus);
    double elapsed = (System.nanoTime() - jobStartNanos) / 1e9;
    out.printf(Locale.ROOT, "%nMeasured: %.2f s per step (%d timed), dev evaluation ~%.0f s%s; "
        + "elapsed %s, ETA %s for the remaining %d steps and the evaluations%n", perStep,
        stepsTimed, costs.evaluation(), plan.reminings() == 0 ? ""
            : String.format(Locale.ROOT, ", re-mining ~%.0f s", costs.remining()),
        ProgressBar.duration(elapsed), ProgressBar.duration(plan.secondsLeft(done, costs)),
        plan.totalSteps() - done);
    if (config.timeBudgetSeconds() == 0) {
      return plan;
    }
    RunPlan fitted = plan.fit(done, config.timeBudgetSeconds() - elapsed, costs);
    if (fitted.totalSteps() == plan.totalSteps()) {
      out.printf(Locale.ROOT, "Time budget %s: all %d steps fit%n",
          ProgressBar.duration(config.timeBudgetSeconds()), plan.totalSteps());
    } else {
      out.printf(Locale.ROOT, "Time budget %s: %d of %d steps fit (ETA %s); warm-up and decay are "
          + "sized to %d steps%n", ProgressBar.duration(config.timeBudgetSeconds()),
          fitted.totalSteps(), plan.totalSteps(),
          ProgressBar.duration(fitted.secondsLeft(done, costs)), fitted.totalSteps());
    }
    return fitted;
  }

  /** An epoch's batches: the same for the same seed, pools and epoch (a resume redraws them). */
  private List<List<TrainingExample>> batches(int epoch) {
    Random random = Seeds.random(config.seed(), epoch);
    List<TrainingExample> examples = TrainingExamples.draw(pools, config.negatives(), random);
    return mining.sampler().batches(examples, config.batchSize(), random);
  }

  private TrainingState evaluate(TrainingState state, int step, float loss) throws IOException {
    Evaluation dev = NumericGuard.checkVectors(step, "dev evaluation", () -> {
      try (Encoder current = snapshots.load(model)) {
        return ModelSnapshots.evaluate(current, snapshots.documentIndex(current),
            data.splits().dev(), data);
      }
    });
    out.printf(Locale.ROOT, "%n  step %d: loss %.4f, dev nDCG@10 %.4f (best %.4f at step %d)%n",
        step, loss, dev.ndcg10(), state.bestDev(), state.bestStep());
    state.evaluations().add(new EvalRecord(step, dev));
    if (dev.ndcg10() > state.bestDev() || state.bestStep() == 0 && config.force()) {
      Checkpoint.saveWeights(model, bestWeights);
      return state.withBest(dev.ndcg10(), step);
    }
    return state;
  }

  private void remine(int step) throws IOException {
    pools = NumericGuard.checkVectors(step, "re-mining", () -> {
      try (Encoder current = snapshots.load(model)) {
        return mining.remine(current::encodeQueries, snapshots.documentIndex(current));
      }
    });
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
