package dev.whetstone.train;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import dev.whetstone.batch.TrainingExample;
import dev.whetstone.retrieval.DenseIndex;
import java.util.List;
import org.junit.Test;

/** Each branch of the divergence guard, driven by a planted NaN or infinity. */
public class NumericGuardTest {
  private static final ContrastiveBatch BATCH = new ContrastiveBatch(
      List.of(new TrainingExample("q1", "first", "d1", List.of("d3")),
          new TrainingExample("q2", "second", "d2", List.of())),
      List.of("d1", "d2", "d3"), new int[] {0, 1}, new boolean[2][3], null);
  private static final String WHERE = "in the batch of 2 queries and 3 documents (queries q1, q2)";

  private static PairList<String, Parameter> parameters(NDManager manager, float... values) {
    PairList<String, Parameter> parameters = new PairList<>();
    for (String name : List.of("encoder.layer0.weight", "pooler.weight")) {
      Parameter parameter = Parameter.builder().setName(name).setType(Parameter.Type.WEIGHT)
          .build();
      parameter.setArray(manager.create(values));
      parameter.getArray().setRequiresGradient(true);
      parameters.add(name, parameter);
    }
    return parameters;
  }

  /** Back-propagates sum(pooler * factor): the pooler's gradient is {@code factor} everywhere. */
  private static void backward(PairList<String, Parameter> parameters, float factor) {
    try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
      NDArray pooler = parameters.get("pooler.weight").getArray();
      NDArray first = parameters.get("encoder.layer0.weight").getArray();
      collector.backward(pooler.mul(factor).sum().add(first.sum()));
    }
  }

  @Test
  public void aNonFiniteLossStopsTheStep() {
    TrainingDiverged e = assertThrows(TrainingDiverged.class,
        () -> NumericGuard.checkLoss(Float.NaN, 7, BATCH));
    assertEquals("diverged at step 7: loss is NaN " + WHERE, e.getMessage());
    assertEquals(7, e.step());
  }

  @Test
  public void aNaNOrInfiniteGradientIsFoundBeforeTheUpdateNamingTheParameter() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      PairList<String, Parameter> parameters = parameters(manager, 0.5f, -1f);
      backward(parameters, 2f);
      NumericGuard.checkGradients(parameters, 3, BATCH); // finite: passes
      for (float factor : new float[] {Float.NaN, Float.POSITIVE_INFINITY}) {
        backward(parameters, factor);
        TrainingDiverged e = assertThrows(TrainingDiverged.class,
            () -> NumericGuard.checkGradients(parameters, 3, BATCH));
        assertEquals("diverged at step 3: gradient of pooler.weight is non-finite " + WHERE,
            e.getMessage());
      }
    }
  }

  @Test
  public void aNaNWeightAfterTheUpdateIsFoundNamingTheParameter() {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      NumericGuard.checkWeights(parameters(manager, 0.5f, -1f), 5, BATCH); // finite: passes
      PairList<String, Parameter> parameters = parameters(manager, 0.5f, Float.NaN);
      TrainingDiverged e = assertThrows(TrainingDiverged.class,
          () -> NumericGuard.checkWeights(parameters, 5, BATCH));
      assertEquals("diverged at step 5: weights of encoder.layer0.weight are non-finite after the "
          + "update " + WHERE, e.getMessage());
    }
  }

  @Test
  public void aNonFiniteVectorMetWhileEmbeddingStopsTheRunNamingThePhaseAndTheDocument()
      throws Exception {
    float[][] vectors = {{1f, 0f}, {0f, Float.NEGATIVE_INFINITY}};
    assertEquals(2, NumericGuard.checkVectors(9, "re-mining",
        () -> new DenseIndex(List.of("a", "b"), new float[][] {{1f, 0f}, {0f, 1f}})).size());
    TrainingDiverged e = assertThrows(TrainingDiverged.class, () -> NumericGuard.checkVectors(9,
        "dev evaluation", () -> new DenseIndex(List.of("a", "b"), vectors)));
    assertEquals("diverged at step 9: dev evaluation: the vector of document 'b' has a non-finite "
        + "(NaN or infinite) component", e.getMessage());
  }
}
