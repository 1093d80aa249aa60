package dev.whetstone.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.Qrels;
import dev.whetstone.data.TrainingSplits;
import dev.whetstone.eval.Baselines;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.SplitEvaluations;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.Before;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The gate's verdict on planted dev runs: six dev queries, each with one relevant document
 * {@code r<i>}, ranked by the current model at {@link #CURRENT_RANKS}.
 */
public class PromotionGateTest {
  private static final int[] CURRENT_RANKS = {1, 2, 3, 1, 2, 3};

  @Rule public TemporaryFolder temp = new TemporaryFolder();

  private final ByteArrayOutputStream printed = new ByteArrayOutputStream();
  private TrainingData data;
  private Map<String, List<String>> currentRun;
  private Evaluation currentDev;
  private Path output;
  private Path candidate;

  /** A run placing each query's relevant document at {@code ranks[i]} among distractors. */
  private static Map<String, List<String>> run(int... ranks) {
    Map<String, List<String>> run = new LinkedHashMap<>();
    for (int i = 0; i < ranks.length; i++) {
      List<String> hits = new ArrayList<>(List.of("x" + i + "a", "x" + i + "b", "x" + i + "c"));
      hits.add(ranks[i] - 1, "r" + i);
      run.put("q" + i, hits);
    }
    return run;
  }

  @Before
  public void plant() throws Exception {
    Map<String, Map<String, Integer>> judgments = new LinkedHashMap<>();
    for (int i = 0; i < CURRENT_RANKS.length; i++) {
      judgments.put("q" + i, Map.of("r" + i, 1));
    }
    Qrels dev = new Qrels(judgments);
    data = new TrainingData(List.of(), Map.of(), new TrainingSplits(dev, dev, null, "planted"),
        Map.of(), null, null, null);
    currentRun = run(CURRENT_RANKS);
    currentDev = Evaluation.of(dev, currentRun);
    output = temp.getRoot().toPath().resolve("promoted");
    candidate = Files.createDirectories(temp.getRoot().toPath().resolve("work/candidate"));
    Files.writeString(candidate.resolve("model.onnx"), "exported weights");
  }

  private PromotionGate gate(boolean force) {
    Path root = temp.getRoot().toPath();
    TrainingConfig config = TrainingConfig.builder(TrainingMode.QUERY_TOWER, root, root, output)
        .modelsDir(root).workDir(root.resolve("work")).force(force).build();
    return new PromotionGate(config, data, null,
        new PrintStream(printed, true, StandardCharsets.UTF_8));
  }

  @Test
  public void aCandidateWorseOnDevIsNotPromotedAndNothingIsMoved() throws Exception {
    // the relevant document one rank lower than the current model puts it, for every query
    PromotionGate.Decision decision =
        gate(false).judge(candidate, run(2, 3, 4, 2, 3, 4), null, null, currentDev, currentRun);

    assertFalse(decision.reason(), decision.promoted());
    assertTrue(decision.reason(), decision.reason().startsWith("not promoted: dev nDCG@10 "));
    assertTrue(decision.candidate().dev().ndcg10() < currentDev.ndcg10());
    assertNull(decision.output());
    assertFalse("nothing is written to the output", Files.exists(output));
    assertTrue("the candidate stays in the work dir",
        Files.isRegularFile(candidate.resolve("model.onnx")));
    assertTrue(printed.toString(StandardCharsets.UTF_8).contains(decision.reason()));
  }

  @Test
  public void aCandidateBetterOnDevBeyondChanceIsMovedToTheOutput() throws Exception {
    PromotionGate.Decision decision =
        gate(false).judge(candidate, run(1, 1, 1, 1, 1, 1), null, null, currentDev, currentRun);

    assertTrue(decision.reason(), decision.promoted());
    assertTrue(decision.reason(), decision.reason().startsWith("promoted: dev nDCG@10 ")
        && !decision.reason().endsWith("(forced)"));
    assertEquals(output, decision.output());
    assertEquals("exported weights", Files.readString(output.resolve("model.onnx")));
    assertFalse(Files.exists(candidate));
  }

  @Test
  public void forceExportsAWorseCandidateAndSaysSo() throws Exception {
    PromotionGate.Decision decision =
        gate(true).judge(candidate, run(2, 3, 4, 2, 3, 4), null, null, currentDev, currentRun);

    assertTrue(decision.promoted());
    assertTrue(decision.reason(), decision.reason().endsWith("(forced)"));
    assertTrue(Files.isRegularFile(output.resolve("model.onnx")));
  }

  @Test
  public void aRunWhoseEvaluationsNeverBeatTheCurrentModelExportsNothing() throws Exception {
    TrainingState state = TrainingState.start(TrainingMode.QUERY_TOWER, "base", 42)
        .withBest(currentDev.ndcg10(), 0);
    // no model, no snapshots: the gate must refuse before exporting anything
    PromotionGate.Decision decision =
        gate(false).decide(state, new BaselineRuns(new Baselines(null,
            new SplitEvaluations(currentDev, null), null), currentRun, Map.of(), null), null, null);

    assertFalse(decision.promoted());
    assertTrue(decision.reason(), decision.reason().startsWith("not promoted: no evaluation beat "
        + "the current model's dev nDCG@10"));
    assertNull(decision.candidate());
    assertFalse(Files.exists(output));
  }
}
