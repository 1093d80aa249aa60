package dev.whetstone.cli;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.Qrels;
import dev.whetstone.data.TrainingSplits;
import dev.whetstone.loss.BaseTemperatures;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.rollout.QueryTowerRollout;
import dev.whetstone.rollout.SolrAdmin;
import dev.whetstone.train.ClickConfig;
import dev.whetstone.train.DistillationConfig;
import dev.whetstone.train.TrainingConfig;
import dev.whetstone.train.TrainingJob;
import dev.whetstone.train.TrainingMode;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.ArgGroup;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** {@code whetstone train}: mine, train, evaluate, and export a model only if it beats the current one. */
@Command(name = "train", mixinStandardHelpOptions = true,
    description = "Fine-tune a bi-encoder on a BEIR data set (or a live Solr collection's corpus) "
        + "with mined hard negatives and false-negative correction; export it as an ONNX model "
        + "directory Solr loads unchanged, only if it beats the current model on dev. --model also "
        + "takes a model directory (e.g. an earlier export). Exit status 3: trained, not promoted; 4: training diverged.")
final class TrainCommand implements Callable<Integer> {
  static final double DEFAULT_DEV_FRACTION = TrainingConfig.DEFAULT_DEV_FRACTION;
  /** See {@link TrainingConfig#DEFAULT_QUERY_TOWER_MIN_STEPS}. */
  static final int DEFAULT_QUERY_TOWER_MIN_STEPS = TrainingConfig.DEFAULT_QUERY_TOWER_MIN_STEPS;

  @Mixin DataAndModelOptions options;
  @Mixin MiningOptions mining;
  @Mixin LoggingOptions logging;

  @Option(names = "--mode", defaultValue = "full", description = "full: both towers (the corpus "
      + "must be re-embedded); query-tower: queries only, against the fixed document index "
      + "(default: ${DEFAULT-VALUE})")
  String mode;

  @Option(names = "--output", required = true, paramLabel = "DIR",
      description = "the promoted model directory (must not exist or be empty)")
  Path output;

  @Option(names = "--work-dir", paramLabel = "DIR",
      description = "checkpoints, caches, audit file, report and log (default: OUTPUT.work)")
  Path workDir;

  @Option(names = "--name", description = "name of the trained model (default: OUTPUT's folder name)")
  String name;

  @ArgGroup(exclusive = false, heading = "Live Solr collection (corpus and BM25; queries and "
      + "judgments still come from --data)%n")
  SolrCollectionOptions solr;

  @ArgGroup(exclusive = false, heading = "Clicks instead of judgments (docs/clicks.md)%n")
  ClickOptions clicks;

  @Option(names = "--epochs", description = "default: 4 in full mode, 5 in query-tower mode")
  Integer epochs;

  @Option(names = "--batch-size", defaultValue = "64",
      description = "queries per optimizer step (default: ${DEFAULT-VALUE})")
  int batchSize;

  @Option(names = "--chunk-size", defaultValue = "16",
      description = "texts per forward pass in full mode, GradCache (default: ${DEFAULT-VALUE})")
  int chunkSize;

  @Option(names = "--negatives", description = "hard negatives per query in a batch "
      + "(default: 1 in full mode, 7 in query-tower mode)")
  Integer negatives;

  @Option(names = "--lr", description = "peak learning rate (default: 5e-5 in full mode, 3e-5 in "
      + "query-tower mode: the settings of the SciFact runs in docs/training.md)")
  Float learningRate;

  @Option(names = "--warmup", defaultValue = "0.1",
      description = "fraction of steps of linear warm-up (default: ${DEFAULT-VALUE})")
  float warmup;

  @Option(names = "--weight-decay", defaultValue = "0.01", description = "AdamW (default: ${DEFAULT-VALUE})")
  float weightDecay;

  @Option(names = "--temperature", description = "InfoNCE temperature (default: the base "
      + "model's own: 0.02 for bge-small-en-v1.5, 0.01 for e5-small-v2, 0.05 for all-MiniLM-L6-v2 "
      + "and any other model)")
  Float temperature;

  @Option(names = "--distill-weight", defaultValue = "" + DistillationConfig.DEFAULT_WEIGHT,
      description = "weight of the score distillation loss (KL from the teacher's scores over "
          + "each query's batch columns to the student's) beside InfoNCE's 1; the teacher is "
          + "--teacher; 0: off (default: ${DEFAULT-VALUE})")
  float distillWeight;

  @Option(names = "--distill-temperature", defaultValue = ""
      + DistillationConfig.DEFAULT_TEACHER_TEMPERATURE, description = "temperature of the "
      + "teacher's score softmax (default: ${DEFAULT-VALUE})")
  float distillTemperature;

  @Option(names = "--dropout", defaultValue = "0",
      description = "encoder dropout; query-tower mode only (default: ${DEFAULT-VALUE})")
  float dropout;

  @Option(names = "--max-steps", defaultValue = "0", description = "stop after N steps (0: all epochs)")
  int maxSteps;

  @Option(names = "--min-steps", description = "run more epochs than --epochs when those take "
      + "fewer steps than this, so a small data set still trains enough for dev to tell (default: "
      + DEFAULT_QUERY_TOWER_MIN_STEPS + " in query-tower mode, 0 in full mode)")
  Integer minSteps;

  @Option(names = "--eval-every", defaultValue = "0",
      description = "dev evaluation + checkpoint every N steps (0: each epoch)")
  int evalEvery;

  @Option(names = "--remine-every", description = "re-mine dense negatives with the updating "
      + "model every N steps (ANCE/ADORE; 0: never; default: at each epoch's end in query-tower "
      + "mode, where it is cheap, never in full mode)")
  Integer remineEvery;

  @Option(names = "--dev-fraction", description = "dev split carved from train when the data "
      + "set has qrels/train.tsv but no qrels/dev.tsv (default: " + DEFAULT_DEV_FRACTION + "), or "
      + "the share of a click log's query texts held out for the gate (default: "
      + ClickConfig.DEFAULT_DEV_FRACTION + ")")
  Double devFraction;

  @Mixin SplitsOption splits;

  @Option(names = "--time-budget", paramLabel = "DURATION", description = "fit the whole job in "
      + "this time, e.g. 45m, 2h, 1h30m, 90s: after timing the first steps, the steps (and the "
      + "warm-up and decay with them) are cut to what fits, evaluations included (default: none)")
  String timeBudget;

  @Option(names = "--train-queries", defaultValue = "0",
      description = "use only the first N training queries (0: all)")
  int trainQueries;

  @Option(names = "--topic-clusters", defaultValue = "0",
      description = "TAS-Balanced batches: cluster queries into N topics, one topic per batch (0: off)")
  int topicClusters;

  @Mixin SeedOption seeding;

  @Option(names = "--promotion-confidence", defaultValue = "0.95", description = "promote only "
      + "when a one-sided paired t-test over the dev queries' nDCG@10 says the trained model beats "
      + "the current one with this confidence; 0: any gain on dev (default: ${DEFAULT-VALUE})")
  double promotionConfidence;

  @Option(names = "--force", description = "export even if the model does not beat the current one on dev")
  boolean force;

  @Option(names = "--resume", description = "continue from the work dir's last checkpoint")
  boolean resume;

  @Option(names = "--deploy", description = "roll the promoted query tower out to --collection "
      + "(as 'whetstone deploy' does, its online gate on the test split's queries); query-tower "
      + "mode; needs --solr-url and --collection")
  boolean deploy;

  @Mixin SwitchOptions switching;
  @Mixin GateOptions gate;

  @Override
  public Integer call() throws Exception {
    if (deploy && (solr == null || !(TrainingMode.parse(mode) == TrainingMode.QUERY_TOWER))) {
      throw new IllegalArgumentException("--deploy needs --mode query-tower and the live collection "
          + "(--solr-url, --collection) to roll the trained tower out to; a full model goes to "
          + "production as a new collection (docs/rollout.md)");
    }
    Path base = options.directory(options.model);
    // fails early, naming the folder, when it is not a model directory
    String baseName = ModelDirectory.open(base).manifest().name();
    TrainingMode trainingMode = TrainingMode.parse(mode);
    Path work = workDir != null ? workDir
        : output.resolveSibling(output.getFileName() + ".work");
    logging.redirectTo(work.resolve("whetstone.log"));
    TrainingConfig config = config(trainingMode, base, work, BaseTemperatures.of(baseName));
    int status = ExitStatus.of(new TrainingJob(config, System.out).run());
    return status == ExitStatus.OK && deploy ? deploy(config) : status;
  }

  /**
   * The run's settings from the options; those left out take the mode's defaults, and the
   * temperature the base model's ({@code baseTemperature}).
   */
  TrainingConfig config(TrainingMode trainingMode, Path base, Path work, float baseTemperature) {
    TrainingConfig.Builder settings = TrainingConfig.builder(trainingMode, options.data, base,
            output)
        .solr(solr == null ? null : solr.url, solr == null ? null : solr.collection)
        .modelsDir(options.models()).workDir(work)
        .name(name != null ? name : output.getFileName().toString())
        .batchSize(batchSize).chunkSize(chunkSize).warmupFraction(warmup)
        .weightDecay(weightDecay).temperature(temperature != null ? temperature : baseTemperature).dropout(dropout).maxSteps(maxSteps)
        .evalEvery(evalEvery).splits(splits.ratios())
        .timeBudgetSeconds(
            timeBudget == null ? 0 : Durations.parseSeconds("--time-budget", timeBudget))
        .promotionConfidence(promotionConfidence).trainQueries(trainQueries)
        .topicClusters(topicClusters).mining(mining.config())
        .distillation(new DistillationConfig(distillWeight, distillTemperature))
        .clicks(clicks == null ? null : clicks.config())
        .seed(seeding.seed).force(force).resume(resume);
    if (epochs != null) {
      settings.epochs(epochs);
    }
    if (negatives != null) {
      settings.negatives(negatives);
    }
    if (learningRate != null) {
      settings.learningRate(learningRate);
    }
    if (minSteps != null) {
      settings.minSteps(minSteps);
    }
    if (remineEvery != null) {
      settings.remineEvery(remineEvery);
    }
    if (devFraction != null) {
      settings.devFraction(devFraction);
    }
    return settings.build();
  }

  /** The promoted tower to every replica, gated on the judged queries the report tested on. */
  private int deploy(TrainingConfig config) throws Exception {
    TrainingSplits splits = TrainingSplits.of(BeirDataset.open(config.data()), config.splits(),
        config.devFraction(), config.seed());
    Qrels judged = splits.test() != null ? splits.test() : splits.dev();
    System.out.printf("%nDeploying %s to '%s' (online gate: the %s split's %d queries)%n", output,
        solr.collection, splits.test() != null ? "test" : "dev", judged.queryIds().size());
    try (SolrAdmin admin = new SolrAdmin(solr.url)) {
      return ExitStatus.of(new QueryTowerRollout(admin, gate.settings(switching), System.out)
          .run(solr.collection, output,
              new QueryTowerRollout.GateQueries(BeirDataset.open(config.data()).queries(), judged)));
    }
  }
}
