package dev.whetstone.optim;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Parameter;
import ai.djl.training.GradientCollector;
import ai.djl.util.PairList;
import java.nio.file.Path;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

public class AdamWTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  /** Reference AdamW on plain floats (one element). */
  private static final class Reference {
    double m;
    double v;
    int t;

    double step(double w, double g, double lr, double decay, boolean decayed) {
      t++;
      m = 0.9 * m + 0.1 * g;
      v = 0.999 * v + 0.001 * g * g;
      if (decayed) {
        w -= lr * decay * w;
      }
      double mHat = m / (1 - Math.pow(0.9, t));
      double vHat = v / (1 - Math.pow(0.999, t));
      return w - lr * mHat / (Math.sqrt(vHat) + 1e-6);
    }
  }

  @Test
  public void matchesTheReferenceAndResumesFromItsSavedMoments() throws Exception {
    try (NDManager manager = NDManager.newBaseManager("PyTorch")) {
      Parameter matrix = Parameter.builder().setName("w").setType(Parameter.Type.WEIGHT)
          .build();
      Parameter bias = Parameter.builder().setName("b").setType(Parameter.Type.BIAS)
          .build();
      matrix.setArray(manager.create(new float[] {0.5f, -1f}, new Shape(1, 2)));
      bias.setArray(manager.create(new float[] {2f}));
      matrix.getArray().setRequiresGradient(true);
      bias.getArray().setRequiresGradient(true);
      PairList<String, Parameter> parameters = new PairList<>();
      parameters.add("w", matrix);
      parameters.add("b", bias);

      AdamW optimizer = new AdamW(manager, 0.1f);
      Reference[] reference = {new Reference(), new Reference(), new Reference()};
      double[] expected = {0.5, -1, 2};
      float lr = 0.01f;
      Path saved = temp.getRoot().toPath().resolve("adamw.ndlist");
      for (int step = 0; step < 4; step++) {
        // loss = sum(w^2) + 3b, gradients 2w and 3
        try (GradientCollector collector = Engine.getEngine("PyTorch").newGradientCollector()) {
          NDArray loss = matrix.getArray().square().sum().add(bias.getArray().mul(3).sum());
          collector.backward(loss);
        }
        for (int i = 0; i < 2; i++) {
          expected[i] = reference[i].step(expected[i], 2 * expected[i], lr, 0.1, true);
        }
        expected[2] = reference[2].step(expected[2], 3, lr, 0.1, false);
        if (step == 1) { // a resumed optimizer continues exactly
          optimizer.save(saved);
          optimizer = new AdamW(manager, 0.1f);
          optimizer.load(saved);
          assertEquals(1, optimizer.updates());
        }
        optimizer.step(parameters, lr);
        float[] w = matrix.getArray().toFloatArray();
        assertArrayEquals(new float[] {(float) expected[0], (float) expected[1]}, w, 1e-6f);
        assertEquals(expected[2], bias.getArray().getFloat(), 1e-6);
        assertEquals(0f, matrix.getArray().getGradient().abs().sum().getFloat(), 0f);
      }
    }
  }
}
