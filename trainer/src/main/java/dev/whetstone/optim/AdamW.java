package dev.whetstone.optim;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.nn.Parameter;
import ai.djl.util.Pair;
import ai.djl.util.PairList;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Adam with decoupled weight decay (Loshchilov & Hutter), written on NDArrays so that its moment
 * estimates can be checkpointed with the weights (DJL's optimizers keep theirs private). Biases,
 * LayerNorm scales and other vectors are not decayed, as in BERT fine-tuning. The trainer's one
 * optimizer: it fine-tunes the encoder and fits the Cosine Adapter.
 */
public final class AdamW {
  private final float beta1;
  private final float beta2;
  private final float epsilon;
  private final float weightDecay;
  private final NDManager manager;
  private final Map<String, NDArray> firstMoments = new HashMap<>();
  private final Map<String, NDArray> secondMoments = new HashMap<>();
  private int updates;

  public AdamW(NDManager manager, float weightDecay) {
    this(manager, 0.9f, 0.999f, 1e-6f, weightDecay);
  }

  public AdamW(NDManager manager, float beta1, float beta2, float epsilon, float weightDecay) {
    this.manager = manager;
    this.beta1 = beta1;
    this.beta2 = beta2;
    this.epsilon = epsilon;
    this.weightDecay = weightDecay;
  }

  /** Number of updates applied so far (bias correction depends on it). */
  public int updates() {
    return updates;
  }

  /**
   * Applies one update to every parameter that has a gradient, then zeroes the gradients. Must
   * run outside a gradient collector (in-place updates of leaves).
   */
  public void step(PairList<String, Parameter> parameters, float learningRate) {
    updates++;
    float correction1 = 1 - (float) Math.pow(beta1, updates);
    float correction2 = 1 - (float) Math.pow(beta2, updates);
    for (Pair<String, Parameter> entry : parameters) {
      NDArray weight = entry.getValue().getArray();
      if (!weight.hasGradient()) {
        continue;
      }
      NDArray m = firstMoments.computeIfAbsent(entry.getKey(), k -> zerosLike(weight));
      NDArray v = secondMoments.computeIfAbsent(entry.getKey(), k -> zerosLike(weight));
      // Intermediates land in the scratch manager and die with it; the state arrays go back home.
      try (NDManager scratch = manager.newSubManager()) {
        NDArray gradient = weight.getGradient();
        gradient.attach(scratch);
        weight.tempAttach(scratch);
        m.tempAttach(scratch);
        v.tempAttach(scratch);
        m.muli(beta1).addi(gradient.mul(1 - beta1));
        v.muli(beta2).addi(gradient.square().muli(1 - beta2));
        if (weightDecay > 0 && weight.getShape().dimension() > 1) {
          weight.subi(weight.mul(learningRate * weightDecay));
        }
        NDArray denominator = v.div(correction2).sqrt().addi(epsilon);
        weight.subi(m.div(correction1).divi(denominator).muli(learningRate));
        gradient.subi(gradient);
      }
    }
  }

  private NDArray zerosLike(NDArray weight) {
    return manager.zeros(weight.getShape(), weight.getDataType());
  }

  /** Writes the moment estimates and the update count. */
  public void save(Path file) throws IOException {
    NDList state = new NDList();
    for (String name : firstMoments.keySet()) {
      NDArray m = firstMoments.get(name);
      m.setName("m:" + name);
      NDArray v = secondMoments.get(name);
      v.setName("v:" + name);
      state.add(m);
      state.add(v);
    }
    NDArray count = manager.create(new int[] {updates});
    count.setName("updates");
    state.add(count);
    try (OutputStream out = Files.newOutputStream(file)) {
      state.encode(out);
    }
    count.close();
  }

  /** Restores what {@link #save} wrote. */
  public void load(Path file) throws IOException {
    NDList state;
    try (InputStream in = Files.newInputStream(file)) {
      state = NDList.decode(manager, in);
    }
    firstMoments.clear();
    secondMoments.clear();
    for (NDArray array : state) {
      String name = array.getName();
      if ("updates".equals(name)) {
        updates = array.toIntArray()[0];
      } else if (name != null && name.startsWith("m:")) {
        firstMoments.put(name.substring(2), array);
      } else if (name != null && name.startsWith("v:")) {
        secondMoments.put(name.substring(2), array);
      } else {
        throw new IOException(file + ": unexpected optimizer state entry '" + name + "'");
      }
    }
  }
}
