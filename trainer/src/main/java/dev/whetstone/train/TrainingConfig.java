package dev.whetstone.train;

import dev.whetstone.data.SplitRatios;
import java.nio.file.Path;

/**
 * Everything one training run depends on. The compact constructor validates the settings (ranges
 * and combinations), so an invalid config is refused when it is built; {@link TrainingJob} then
 * checks what needs the file system (an empty output folder, a base model that embeds both sides).
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

  private static void positive(String what, int value) {
    if (value <= 0) {
      throw new IllegalArgumentException(what + " must be > 0, got " + value);
    }
  }
}
