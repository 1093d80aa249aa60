package dev.whetstone.calibrate;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.util.PairList;
import dev.whetstone.calibration.CosineAdapter;
import dev.whetstone.calibration.ScoreMap;
import java.util.Arrays;
import java.util.List;

/**
 * A Cosine Adapter's network on NDArrays in double precision, for fitting by autograd: the forward
 * pass of {@link CosineAdapter#forQuery} for a batch of queries, and the binary cross-entropy of
 * their hits. Its parameters are named {@code w1, b1, w2, b2}, as in the adapter.
 */
final class AdapterNetwork implements AutoCloseable {
  static final List<String> NAMES = List.of("w1", "b1", "w2", "b2");

  private final ScoreMap map;
  /** Fixed while fitting: the mean train score, where the offset output is the logit. */
  private final double center;
  private final PairList<String, Parameter> parameters = new PairList<>();

  /** Takes ownership of the arrays (w1 hidden × dim, b1, w2 outputs × hidden, b2). */
  AdapterNetwork(ScoreMap map, double center, NDArray w1, NDArray b1, NDArray w2, NDArray b2) {
    this.map = map;
    this.center = center;
    NDArray[] arrays = {w1, b1, w2, b2};
    for (int i = 0; i < arrays.length; i++) {
      Parameter parameter = Parameter.builder().setName(NAMES.get(i))
          .setType(i % 2 == 0 ? Parameter.Type.WEIGHT : Parameter.Type.BIAS).build();
      parameter.setArray(arrays[i]);
      parameters.add(NAMES.get(i), parameter);
    }
  }

  PairList<String, Parameter> parameters() {
    return parameters;
  }

  NDArray array(String name) {
    return parameters.get(name).getArray();
  }

  /** This network with one array replaced; takes ownership of it and closes the old one. */
  AdapterNetwork with(String name, NDArray replacement) {
    NDArray[] arrays = arrays().toArray(new NDArray[0]);
    int index = NAMES.indexOf(name);
    arrays[index].close();
    arrays[index] = replacement;
    return new AdapterNetwork(map, center, arrays[0], arrays[1], arrays[2], arrays[3]);
  }

  /** The four arrays, to attach them elsewhere for a while. */
  NDList arrays() {
    return new NDList(array("w1"), array("b1"), array("w2"), array("b2"));
  }

  /** An independent copy whose arrays take no gradient. */
  AdapterNetwork copy() {
    NDArray[] copies = new NDArray[NAMES.size()];
    for (int i = 0; i < copies.length; i++) {
      try (NDArray detached = array(NAMES.get(i)).stopGradient()) {
        copies[i] = detached.duplicate();
      }
    }
    return new AdapterNetwork(map, center, copies[0], copies[1], copies[2], copies[3]);
  }

  /**
   * The raw outputs {@code r = W2·relu(W1·q + b1) + b2}, one row per query (queries × outputs);
   * {@code global}: the hidden layer is left out, {@code r = b2} for every query (one row).
   */
  NDArray outputs(NDArray queries, boolean global) {
    NDArray b2 = array("b2").reshape(1, map.parameters());
    if (global) {
      return b2;
    }
    NDArray hidden = Activation.relu(queries.matMul(array("w1").transpose()).add(array("b1")));
    return hidden.matMul(array("w2").transpose()).add(b2);
  }

  /** Mean binary cross-entropy over every (unpadded) hit of the batch, a scalar. */
  NDArray loss(Batch batch, boolean global) {
    NDList out = outputs(batch.queries(), global).split(map.parameters(), 1);
    NDArray a = Activation.softPlus(out.get(0));
    NDArray g = switch (map) {
      case LINEAR -> batch.scores();
      case SQRT -> batch.scores().sqrt();
      case POWER -> batch.scores().pow(Activation.softPlus(out.get(2)));
    };
    NDArray z = g.sub(center).mul(a).add(out.get(1));
    NDArray perHit = Activation.softPlus(z).sub(z.mul(batch.labels()));
    return perHit.mul(batch.mask()).sum().div(batch.pairs());
  }

  @Override
  public void close() {
    arrays().close();
  }

  CosineAdapter toAdapter(String queryFingerprint, String documentFingerprint) {
    return new CosineAdapter(queryFingerprint, documentFingerprint, map, 0.5, matrix("w1"),
        vector("b1"), matrix("w2"), vector("b2"), center);
  }

  private float[][] matrix(String name) {
    NDArray array = array(name);
    float[] values = vector(name);
    int columns = (int) array.getShape().get(1);
    float[][] rows = new float[(int) array.getShape().get(0)][];
    for (int r = 0; r < rows.length; r++) {
      rows[r] = Arrays.copyOfRange(values, r * columns, (r + 1) * columns);
    }
    return rows;
  }

  private float[] vector(String name) {
    double[] values = array(name).toDoubleArray();
    float[] result = new float[values.length];
    for (int i = 0; i < values.length; i++) {
      result[i] = (float) values[i];
    }
    return result;
  }

  /**
   * Labeled hits as padded matrices (queries × most hits): scores clamped at 0, labels 1 or 0, and
   * a mask of 1 on real hits (padding: score 1, label 0, mask 0).
   */
  record Batch(NDArray queries, NDArray scores, NDArray labels, NDArray mask, double pairs) {
    static Batch of(NDManager manager, List<LabeledHits> hits) {
      int rows = hits.size();
      int dim = hits.get(0).queryVector().length;
      int width = 0;
      long pairs = 0;
      for (LabeledHits query : hits) {
        width = Math.max(width, query.size());
        pairs += query.size();
      }
      double[] queries = new double[rows * dim];
      double[] scores = new double[rows * width];
      double[] labels = new double[rows * width];
      double[] mask = new double[rows * width];
      Arrays.fill(scores, 1);
      for (int q = 0; q < rows; q++) {
        LabeledHits query = hits.get(q);
        for (int d = 0; d < dim; d++) {
          queries[q * dim + d] = query.queryVector()[d];
        }
        for (int j = 0; j < query.size(); j++) {
          scores[q * width + j] = Math.max(0, query.scores()[j]);
          labels[q * width + j] = query.relevant()[j] ? 1 : 0;
          mask[q * width + j] = 1;
        }
      }
      Shape shape = new Shape(rows, width);
      return new Batch(manager.create(queries, new Shape(rows, dim)), manager.create(scores, shape),
          manager.create(labels, shape), manager.create(mask, shape), pairs);
    }

    NDList arrays() {
      return new NDList(queries, scores, labels, mask);
    }
  }
}
