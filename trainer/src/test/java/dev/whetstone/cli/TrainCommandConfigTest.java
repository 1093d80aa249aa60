package dev.whetstone.cli;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.SplitRatios;
import dev.whetstone.loss.BaseTemperatures;
import dev.whetstone.train.ClickConfig;
import dev.whetstone.train.DistillationConfig;
import dev.whetstone.train.TrainingConfig;
import dev.whetstone.train.TrainingMode;
import java.nio.file.Path;
import org.junit.Test;
import picocli.CommandLine;

/**
 * {@code whetstone train}'s options become the run's {@link TrainingConfig}: what is left out takes
 * the mode's defaults, what is given is passed through.
 */
public class TrainCommandConfigTest {
  private static final Path BASE = Path.of("models", "all-minilm-l6-v2");
  private static final Path WORK = Path.of("o.work");

  @Test
  public void fullModeDefaults() {
    TrainingConfig config = config("--data", "d", "--output", "o");
    assertEquals(TrainingMode.FULL, config.mode());
    assertEquals(4, config.epochs());
    assertEquals(1, config.negatives());
    assertEquals(5e-5f, config.learningRate(), 0f);
    assertEquals(0, config.minSteps());
    assertEquals(0, config.remineEvery());
    assertEquals(TrainingConfig.DEFAULT_DEV_FRACTION, config.devFraction(), 0);
    assertEquals(64, config.batchSize());
    assertEquals(16, config.chunkSize());
    assertEquals("o", config.name());
    assertEquals(WORK, config.workDir());
    assertEquals(42L, config.seed());
    assertEquals("bge-small-en-v1.5", config.mining().teacher());
    assertEquals(0.05f, config.temperature(), 0f);
  }

  @Test
  public void theTemperatureIsTheBaseModelsOwnUnlessGiven() {
    TrainCommand command = parse("--data", "d", "--output", "o", "--model", "e5-small-v2");
    assertEquals(0.01f, command.config(TrainingMode.FULL, BASE, WORK,
        BaseTemperatures.of("e5-small-v2")).temperature(), 0f);
    assertEquals(0.02f, BaseTemperatures.of(" BGE-small-en-v1.5"), 0f);
    assertEquals(BaseTemperatures.DEFAULT, BaseTemperatures.of("my-exported-model"), 0f);
    command = parse("--data", "d", "--output", "o", "--temperature", "0.07");
    assertEquals(0.07f, command.config(TrainingMode.FULL, BASE, WORK,
        BaseTemperatures.of("e5-small-v2")).temperature(), 0f);
  }

  @Test
  public void queryTowerDefaults() {
    TrainingConfig config = config("--data", "d", "--output", "o", "--mode", "query-tower");
    assertEquals(5, config.epochs());
    assertEquals(7, config.negatives());
    assertEquals(3e-5f, config.learningRate(), 0f);
    assertEquals(TrainingConfig.DEFAULT_QUERY_TOWER_MIN_STEPS, config.minSteps());
    assertEquals(TrainingConfig.EACH_EPOCH, config.remineEvery());
  }

  @Test
  public void aClickLogHoldsOutItsOwnDevShare() {
    TrainingConfig config = config("--data", "d", "--output", "o", "--clicks", "c.jsonl");
    assertEquals(ClickConfig.DEFAULT_DEV_FRACTION, config.devFraction(), 0);
  }

  @Test
  public void givenOptionsArePassedThrough() {
    String[] args = {"--data", "d", "--output", "o", "--mode", "query-tower", "--epochs", "2",
        "--negatives", "3", "--lr", "1e-4", "--min-steps", "5", "--remine-every", "7",
        "--dev-fraction", "0.3", "--batch-size", "8", "--chunk-size", "4", "--warmup", "0.2",
        "--weight-decay", "0", "--temperature", "0.02", "--dropout", "0.1", "--max-steps", "9",
        "--eval-every", "3", "--splits", "60/20/20", "--time-budget", "1h", "--train-queries",
        "50", "--topic-clusters", "4", "--seed", "7", "--promotion-confidence", "0.9",
        "--distill-weight", "0.5", "--teacher", "model", "--name", "n", "--work-dir", "w",
        "--force", "--resume", "--solr-url", "http://x", "--collection", "c"};
    TrainCommand command = parse(args);
    TrainingConfig config = command.config(TrainingMode.QUERY_TOWER, BASE, Path.of("w"),
        BaseTemperatures.of("e5-small-v2"));
    assertEquals(Path.of("w"), config.workDir());
    assertEquals("n", config.name());
    assertEquals(8, config.batchSize());
    assertEquals(4, config.chunkSize());
    assertEquals(0.2f, config.warmupFraction(), 0f);
    assertEquals(0f, config.weightDecay(), 0f);
    assertEquals(0.02f, config.temperature(), 0f);
    assertEquals(0.1f, config.dropout(), 0f);
    assertEquals(9, config.maxSteps());
    assertEquals(3, config.evalEvery());
    assertEquals(new SplitRatios(60, 20, 20), config.splits());
    assertEquals(50, config.trainQueries());
    assertEquals(4, config.topicClusters());
    assertEquals(7L, config.seed());
    assertEquals(0.9, config.promotionConfidence(), 0);
    assertEquals(new DistillationConfig(0.5f, DistillationConfig.DEFAULT_TEACHER_TEMPERATURE),
        config.distillation());
    assertEquals("model", config.mining().teacher());
    assertEquals("c", config.solrCollection());
    assertTrue(config.force() && config.resume());
    assertEquals(2, config.epochs());
    assertEquals(3, config.negatives());
    assertEquals(1e-4f, config.learningRate(), 0f);
    assertEquals(5, config.minSteps());
    assertEquals(7, config.remineEvery());
    assertEquals(0.3, config.devFraction(), 0);
    assertEquals(3600, config.timeBudgetSeconds());
    assertEquals("http://x", config.solrUrl());
  }

  private static TrainingConfig config(String... args) {
    TrainCommand command = parse(args);
    return command.config(TrainingMode.parse(command.mode), BASE, WORK,
        BaseTemperatures.of(BASE.getFileName().toString()));
  }

  private static TrainCommand parse(String... args) {
    TrainCommand command = new TrainCommand();
    new CommandLine(command).parseArgs(args);
    return command;
  }
}
