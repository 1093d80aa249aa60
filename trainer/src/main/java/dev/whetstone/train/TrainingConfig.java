package dev.whetstone.train;

import dev.whetstone.data.SplitRatios;
import dev.whetstone.loss.BaseTemperatures;
import dev.whetstone.workspace.ModelCache;
import java.nio.file.Path;

/**
 * Everything one training run depends on. The compact constructor validates the settings (ranges
 * and combinations), so an invalid config is refused when it is built; {@link TrainingJob} then
 * checks what needs the file system (an empty output folder, a base model that embeds both sides).
 * {@link #builder} names the settings and defaults the ones not set as {@code whetstone train} does.
 *
 * @param data BEIR data set folder (queries and judgments; the corpus unless {@code solrUrl})
 * @param solrUrl a live Solr collection to read the corpus from and mine BM25 with, or null
 * @param solrCollection that collection's name
 * @param baseModel the current model's directory
 * @param modelsDir where pretrained teachers are imported to and read from
 * @param output where the promoted model directory is written
 * @param workDir checkpoints, caches, audit file and report
 * @param batchSize queries per optimizer step (the loss's batch)
 * @param chunkSize texts per forward pass (GradCache chunk) in full mode
 * @param negatives hard negatives per query in a batch
 * @param maxSteps stop after this many steps (0: run all epochs)
 * @param minSteps run more epochs than {@code epochs} when those take fewer steps than this
 * @param evalEvery evaluate on dev every this many steps (0: once per epoch)
 * @param remineEvery re-mine dense negatives with the updating model every this many steps (0:
 *     never, {@link #EACH_EPOCH}: at the end of each epoch)
 * @param devFraction share of train carved as dev when the data set has train judgments but no dev
 * @param splits carve every judged query into train/dev/test with these ratios; null: use the
 *     data set's qrels files (carving the default ratios only when it has no train file)
 * @param timeBudgetSeconds size the run (steps, schedule included) to end within this many seconds
 *     of its start (0: no budget)
 * @param promotionConfidence one-sided confidence (paired t-test over the dev queries' nDCG@10)
 *     that the trained model beats the current one, needed to promote it; 0: any gain
 * @param trainQueries use only the first this many training queries (0: all), for quick runs
 * @param topicClusters TAS-Balanced: cluster the queries into this many topics (0: off)
 * @param distillation score distillation from the mining teacher
 * @param clicks train (and select on dev) from this click log instead of the data set's
 *     judgments; null: the judgments
 */
public record TrainingConfig(
    TrainingMode mode,
    Path data,
    String solrUrl,
    String solrCollection,
    Path baseModel,
    Path modelsDir,
    Path output,
    Path workDir,
    String name,
    int epochs,
    int batchSize,
    int chunkSize,
    int negatives,
    float learningRate,
    float warmupFraction,
    float weightDecay,
    float temperature,
    float dropout,
    int maxSteps,
    int minSteps,
    int evalEvery,
    int remineEvery,
    double devFraction,
    SplitRatios splits,
    long timeBudgetSeconds,
    double promotionConfidence,
    int trainQueries,
    int topicClusters,
    MiningConfig mining,
    DistillationConfig distillation,
    ClickConfig clicks,
    long seed,
    boolean force,
    boolean resume) {

  /** {@link #remineEvery} value: re-mine at the end of each epoch. */
  public static final int EACH_EPOCH = -1;
  /** Share of train carved as dev when the data set has train judgments but no dev. */
  public static final double DEFAULT_DEV_FRACTION = 0.1;
  /**
   * SciFact's default query-tower run (12 steps × 5 epochs); Cranfield's 135 training queries make
   * 3 steps an epoch, too few for dev to tell the tower from the base. Full mode has none: its steps
   * cost ~50 s each on CPU, and 12 steps already move Cranfield's dev by +0.038.
   */
  public static final int DEFAULT_QUERY_TOWER_MIN_STEPS = 60;

  public TrainingConfig {
    positive("epochs", epochs);
    positive("batch size", batchSize);
    positive("chunk size", chunkSize);
    if (negatives < 0 || maxSteps < 0 || minSteps < 0 || evalEvery < 0 || remineEvery < EACH_EPOCH
        || trainQueries < 0 || topicClusters < 0 || timeBudgetSeconds < 0) {
      throw new IllegalArgumentException("negatives, max steps, min steps, eval-every, remine-every, "
          + "train queries, topic clusters and the time budget must be >= 0");
    }
    if (!(promotionConfidence >= 0 && promotionConfidence < 1)) {
      throw new IllegalArgumentException("promotion confidence must be in [0, 1), got "
          + promotionConfidence);
    }
    if (warmupFraction < 0 || warmupFraction >= 1) {
      throw new IllegalArgumentException("warm-up fraction must be in [0, 1), got " + warmupFraction);
    }
    if (mode == TrainingMode.FULL && dropout != 0) {
      throw new IllegalArgumentException("--dropout must be 0 in full mode: GradCache embeds each "
          + "text twice and both passes must agree");
    }
    if (distillation.enabled() && MiningConfig.NO_TEACHER.equals(mining.teacher())) {
      throw new IllegalArgumentException("--distill-weight needs a teacher (--teacher is none)");
    }
    if ((solrUrl == null) != (solrCollection == null)) {
      throw new IllegalArgumentException("--solr-url and --collection go together");
    }
  }

  /**
   * A config of {@code mode} training {@code baseModel} on {@code data} into {@code output}, with
   * the defaults of {@code whetstone train} for what is not set, except {@link #mining}, which is
   * {@link MiningConfig#defaults()}.
   */
  public static Builder builder(TrainingMode mode, Path data, Path baseModel, Path output) {
    return new Builder(mode, data, baseModel, output);
  }

  /** A builder holding this config's settings, to change some of them. */
  public Builder toBuilder() {
    return builder(mode, data, baseModel, output).solr(solrUrl, solrCollection)
        .modelsDir(modelsDir).workDir(workDir).name(name).epochs(epochs).batchSize(batchSize)
        .chunkSize(chunkSize).negatives(negatives).learningRate(learningRate)
        .warmupFraction(warmupFraction).weightDecay(weightDecay).temperature(temperature)
        .dropout(dropout).maxSteps(maxSteps).minSteps(minSteps).evalEvery(evalEvery)
        .remineEvery(remineEvery).devFraction(devFraction).splits(splits)
        .timeBudgetSeconds(timeBudgetSeconds).promotionConfidence(promotionConfidence)
        .trainQueries(trainQueries).topicClusters(topicClusters).mining(mining)
        .distillation(distillation).clicks(clicks).seed(seed).force(force).resume(resume);
  }

  /**
   * Named settings for a {@link TrainingConfig}. Not set: no Solr collection; the default models
   * directory; work dir {@code OUTPUT.work}; name {@code OUTPUT}'s folder name; 4 epochs, 1
   * negative and learning rate 5e-5 in full mode, 5 epochs, 7 negatives, 3e-5, {@value
   * #DEFAULT_QUERY_TOWER_MIN_STEPS} min steps and re-mining each epoch in query-tower mode; batch
   * size 64, chunk size 16, warm-up 0.1, weight decay 0.01, temperature 0.05 ({@code train} gives
   * the base model's own, {@link BaseTemperatures}), no dropout, no step
   * limits, dev evaluation each epoch; dev fraction {@value #DEFAULT_DEV_FRACTION} (a click log's
   * {@link ClickConfig#DEFAULT_DEV_FRACTION}); the data set's splits; no time budget; promotion
   * confidence 0.95; every training query; no topic clusters; {@link MiningConfig#defaults()};
   * {@link DistillationConfig#defaults()}; judgments, not clicks; seed 42; no force; no resume.
   */
  public static final class Builder {
    private final TrainingMode mode;
    private final Path data;
    private final Path baseModel;
    private final Path output;
    private String solrUrl;
    private String solrCollection;
    private Path modelsDir;
    private Path workDir;
    private String name;
    private Integer epochs;
    private int batchSize = 64;
    private int chunkSize = 16;
    private Integer negatives;
    private Float learningRate;
    private float warmupFraction = 0.1f;
    private float weightDecay = 0.01f;
    private float temperature = BaseTemperatures.DEFAULT;
    private float dropout;
    private int maxSteps;
    private Integer minSteps;
    private int evalEvery;
    private Integer remineEvery;
    private Double devFraction;
    private SplitRatios splits;
    private long timeBudgetSeconds;
    private double promotionConfidence = 0.95;
    private int trainQueries;
    private int topicClusters;
    private MiningConfig mining = MiningConfig.defaults();
    private DistillationConfig distillation = DistillationConfig.defaults();
    private ClickConfig clicks;
    private long seed = 42;
    private boolean force;
    private boolean resume;

    private Builder(TrainingMode mode, Path data, Path baseModel, Path output) {
      this.mode = mode;
      this.data = data;
      this.baseModel = baseModel;
      this.output = output;
    }

    /** A live collection for the corpus and BM25; both null: none. */
    public Builder solr(String url, String collection) {
      this.solrUrl = url;
      this.solrCollection = collection;
      return this;
    }

    public Builder modelsDir(Path modelsDir) {
      this.modelsDir = modelsDir;
      return this;
    }

    public Builder workDir(Path workDir) {
      this.workDir = workDir;
      return this;
    }

    public Builder name(String name) {
      this.name = name;
      return this;
    }

    public Builder epochs(int epochs) {
      this.epochs = epochs;
      return this;
    }

    public Builder batchSize(int batchSize) {
      this.batchSize = batchSize;
      return this;
    }

    public Builder chunkSize(int chunkSize) {
      this.chunkSize = chunkSize;
      return this;
    }

    public Builder negatives(int negatives) {
      this.negatives = negatives;
      return this;
    }

    public Builder learningRate(float learningRate) {
      this.learningRate = learningRate;
      return this;
    }

    public Builder warmupFraction(float warmupFraction) {
      this.warmupFraction = warmupFraction;
      return this;
    }

    public Builder weightDecay(float weightDecay) {
      this.weightDecay = weightDecay;
      return this;
    }

    public Builder temperature(float temperature) {
      this.temperature = temperature;
      return this;
    }

    public Builder dropout(float dropout) {
      this.dropout = dropout;
      return this;
    }

    public Builder maxSteps(int maxSteps) {
      this.maxSteps = maxSteps;
      return this;
    }

    public Builder minSteps(int minSteps) {
      this.minSteps = minSteps;
      return this;
    }

    public Builder evalEvery(int evalEvery) {
      this.evalEvery = evalEvery;
      return this;
    }

    public Builder remineEvery(int remineEvery) {
      this.remineEvery = remineEvery;
      return this;
    }

    public Builder devFraction(double devFraction) {
      this.devFraction = devFraction;
      return this;
    }

    public Builder splits(SplitRatios splits) {
      this.splits = splits;
      return this;
    }

    public Builder timeBudgetSeconds(long timeBudgetSeconds) {
      this.timeBudgetSeconds = timeBudgetSeconds;
      return this;
    }

    public Builder promotionConfidence(double promotionConfidence) {
      this.promotionConfidence = promotionConfidence;
      return this;
    }

    public Builder trainQueries(int trainQueries) {
      this.trainQueries = trainQueries;
      return this;
    }

    public Builder topicClusters(int topicClusters) {
      this.topicClusters = topicClusters;
      return this;
    }

    public Builder mining(MiningConfig mining) {
      this.mining = mining;
      return this;
    }

    public Builder distillation(DistillationConfig distillation) {
      this.distillation = distillation;
      return this;
    }

    /** Train from this click log instead of the judgments; null: the judgments. */
    public Builder clicks(ClickConfig clicks) {
      this.clicks = clicks;
      return this;
    }

    public Builder seed(long seed) {
      this.seed = seed;
      return this;
    }

    public Builder force(boolean force) {
      this.force = force;
      return this;
    }

    public Builder resume(boolean resume) {
      this.resume = resume;
      return this;
    }

    /** The config; its constructor refuses invalid settings. */
    public TrainingConfig build() {
      boolean full = mode == TrainingMode.FULL;
      return new TrainingConfig(mode, data, solrUrl, solrCollection, baseModel,
          modelsDir != null ? modelsDir : ModelCache.defaultDir(), output,
          workDir != null ? workDir : output.resolveSibling(output.getFileName() + ".work"),
          name != null ? name : output.getFileName().toString(),
          epochs != null ? epochs : full ? 4 : 5, batchSize, chunkSize,
          negatives != null ? negatives : full ? 1 : 7,
          learningRate != null ? learningRate : full ? 5e-5f : 3e-5f,
          warmupFraction, weightDecay, temperature, dropout, maxSteps,
          minSteps != null ? minSteps : full ? 0 : DEFAULT_QUERY_TOWER_MIN_STEPS, evalEvery,
          remineEvery != null ? remineEvery : full ? 0 : EACH_EPOCH,
          devFraction != null ? devFraction
              : clicks != null ? ClickConfig.DEFAULT_DEV_FRACTION : DEFAULT_DEV_FRACTION,
          splits, timeBudgetSeconds, promotionConfidence, trainQueries, topicClusters, mining,
          distillation, clicks, seed, force, resume);
    }
  }

  private static void positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be > 0, got " + value);
    }
  }
}
