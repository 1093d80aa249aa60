package dev.whetstone.nn;

import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.ndarray.types.SparseFormat;
import ai.djl.nn.AbstractBlock;
import ai.djl.nn.Activation;
import ai.djl.nn.Parameter;
import ai.djl.nn.core.Embedding;
import ai.djl.nn.norm.Dropout;
import ai.djl.nn.norm.LayerNorm;
import ai.djl.training.ParameterStore;
import ai.djl.util.PairList;

/**
 * A BERT encoder (HuggingFace's {@code BertModel} without the pooler) from DJL ops: word, position
 * and token type embeddings, LayerNorm, then layers of masked multi-head self-attention and an
 * exact-erf GELU feed-forward network, each with a residual connection and LayerNorm.
 *
 * <p>Input {@code NDList(inputIds, attentionMask, tokenTypeIds)}, each {@code [batch, seq]} int64;
 * output {@code NDList(lastHiddenState [batch, seq, hidden])}. Any {@code seq} up to the position
 * table's size works. Parameters carry HuggingFace names ({@link OnnxBertGraph#parameterNames}),
 * linear weights laid out {@code [in, out]} as in the ONNX graph. Dropout applies only in training.
 */
public final class BertEncoderBlock extends AbstractBlock {
  private static final byte VERSION = 1;
  /** Added to attention scores of padding: HuggingFace's value, so softmax gives them weight 0. */
  private static final float MASKED_SCORE = -Float.MAX_VALUE;

  private final BertConfig config;
  private final float dropout;

  /**
   * @param dropout probability of dropping an activation while training (BERT uses 0.1)
   */
  public BertEncoderBlock(BertConfig config, float dropout) {
    super(VERSION);
    if (dropout < 0 || dropout >= 1) {
      throw new IllegalArgumentException("dropout must be in [0, 1), got " + dropout);
    }
    this.config = config;
    this.dropout = dropout;
    for (String name : OnnxBertGraph.parameterNames(config)) {
      addParameter(Parameter.builder()
          .setName(name)
          .setType(name.endsWith(".bias") ? Parameter.Type.BIAS : Parameter.Type.WEIGHT)
          .build());
    }
  }

  public BertConfig config() {
    return config;
  }

  /**
   * Sets every parameter to the graph's weights, as arrays of {@code manager} (the model's). Call
   * once, before {@code initialize}: pretrained weights replace random initialization.
   */
  public void loadWeights(OnnxBertGraph graph, NDManager manager) {
    if (!graph.config().equals(config)) {
      throw new IllegalArgumentException(graph.file() + " has shape " + graph.config()
          + ", this block " + config);
    }
    for (String name : OnnxBertGraph.parameterNames(config)) {
      Shape shape = new Shape(OnnxBertGraph.expectedShape(config, name));
      parameter(name).setArray(manager.create(graph.weights(name), shape));
    }
  }

  /** A parameter by its HuggingFace name. */
  public Parameter parameter(String name) {
    Parameter parameter = parameters.get(name);
    if (parameter == null) {
      throw new IllegalArgumentException("no parameter " + name);
    }
    return parameter;
  }

  @Override
  protected NDList forwardInternal(ParameterStore store, NDList inputs, boolean training,
      PairList<String, Object> params) {
    if (inputs.size() != 3) {
      throw new IllegalArgumentException("expected inputIds, attentionMask and tokenTypeIds, got "
          + inputs.size() + " arrays");
    }
    NDArray ids = inputs.get(0);
    NDArray mask = inputs.get(1);
    NDArray types = inputs.get(2);
    long batch = ids.getShape().get(0);
    long seq = ids.getShape().get(1);
    if (seq > config.maxPositions()) {
      throw new IllegalArgumentException(seq + " tokens exceed the model's " + config.maxPositions()
          + " positions");
    }
    Forward f = new Forward(store, training, ids.getManager());
    NDArray positions = ids.getManager().arange(0, (int) seq, 1, DataType.INT64);
    NDArray x = embed(ids, f.value("embeddings.word_embeddings.weight"))
        .add(embed(types, f.value("embeddings.token_type_embeddings.weight")))
        .add(embed(positions, f.value("embeddings.position_embeddings.weight")));
    x = f.dropout(f.layerNorm(x, "embeddings.LayerNorm"));
    // [batch, 1, 1, seq]: 0 for tokens, a huge negative score for padding
    NDArray scoreMask = mask.toType(DataType.FLOAT32, false).neg().add(1f).mul(MASKED_SCORE)
        .reshape(batch, 1, 1, seq);
    for (int l = 0; l < config.layers(); l++) {
      x = layer(f, "encoder.layer." + l + ".", x, scoreMask, batch, seq);
    }
    return new NDList(x);
  }

  private NDArray layer(Forward f, String prefix, NDArray x, NDArray scoreMask, long batch,
      long seq) {
    NDArray query = heads(f.linear(x, prefix + "attention.self.query"), batch, seq);
    NDArray key = heads(f.linear(x, prefix + "attention.self.key"), batch, seq);
    NDArray value = heads(f.linear(x, prefix + "attention.self.value"), batch, seq);
    NDArray scores = query.matMul(key.transpose(0, 1, 3, 2))
        .div((float) Math.sqrt(config.headSize()))
        .add(scoreMask);
    NDArray context = f.dropout(scores.softmax(-1)).matMul(value)
        .transpose(0, 2, 1, 3)
        .reshape(batch, seq, config.hidden());
    NDArray attended = f.layerNorm(
        f.dropout(f.linear(context, prefix + "attention.output.dense")).add(x),
        prefix + "attention.output.LayerNorm");
    NDArray intermediate = Activation.gelu(f.linear(attended, prefix + "intermediate.dense"));
    return f.layerNorm(
        f.dropout(f.linear(intermediate, prefix + "output.dense")).add(attended),
        prefix + "output.LayerNorm");
  }

  /** [batch, seq, hidden] → [batch, heads, seq, headSize]. */
  private NDArray heads(NDArray x, long batch, long seq) {
    return x.reshape(batch, seq, config.heads(), config.headSize()).transpose(0, 2, 1, 3);
  }

  private static NDArray embed(NDArray ids, NDArray table) {
    return Embedding.embedding(ids, table, SparseFormat.DENSE).singletonOrThrow();
  }

  @Override
  public Shape[] getOutputShapes(Shape[] inputShapes) {
    Shape ids = inputShapes[0];
    return new Shape[] {new Shape(ids.get(0), ids.get(1), config.hidden())};
  }

  /** One forward pass's access to parameters and training-only dropout. */
  private final class Forward {
    private final ParameterStore store;
    private final boolean training;
    private final NDManager manager;

    Forward(ParameterStore store, boolean training, NDManager manager) {
      this.store = store;
      this.training = training;
      this.manager = manager;
    }

    NDArray value(String name) {
      return store.getValue(parameter(name), manager.getDevice(), training);
    }

    NDArray linear(NDArray x, String prefix) {
      return x.matMul(value(prefix + ".weight")).add(value(prefix + ".bias"));
    }

    NDArray layerNorm(NDArray x, String prefix) {
      return LayerNorm.layerNorm(x, new Shape(config.hidden()), value(prefix + ".weight"),
          value(prefix + ".bias"), config.layerNormEps()).singletonOrThrow();
    }

    NDArray dropout(NDArray x) {
      return training && dropout > 0 ? Dropout.dropout(x, dropout, true).singletonOrThrow() : x;
    }
  }
}
