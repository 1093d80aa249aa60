package dev.whetstone.nn;

import ai.djl.Device;
import ai.djl.Model;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.ndarray.types.DataType;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.ParameterStore;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.TextTokenizer;
import dev.whetstone.model.TokenBatch;
import java.io.IOException;
import java.nio.LongBuffer;

/**
 * A trainable sentence encoder: a model directory's BERT weights in a {@link BertEncoderBlock} on
 * DJL's PyTorch engine, with the directory's tokenizer, pooling and normalization, so that before
 * training it gives the vectors Solr's ONNX {@code Encoder} gives.
 */
public final class SentenceEncoder implements AutoCloseable {
  /** DJL's PyTorch engine; named explicitly because the default engine is ONNX Runtime. */
  public static final String ENGINE = "PyTorch";

  private final ModelDirectory source;
  private final TextTokenizer tokenizer;
  private final Model model;
  private final BertEncoderBlock block;

  private SentenceEncoder(ModelDirectory source, TextTokenizer tokenizer, Model model,
      BertEncoderBlock block) {
    this.source = source;
    this.tokenizer = tokenizer;
    this.model = model;
    this.block = block;
  }

  /**
   * Loads a model directory's weights from its ONNX file.
   *
   * @param dropout dropout probability while training (0.1 for BERT)
   */
  public static SentenceEncoder load(ModelDirectory directory, float dropout) throws IOException {
    OnnxBertGraph graph = OnnxBertGraph.read(directory.onnxFile());
    ModelManifest manifest = directory.manifest();
    BertConfig config = graph.config();
    if (config.hidden() != manifest.dimension()) {
      throw new IOException(directory.onnxFile() + " has hidden size " + config.hidden() + " but "
          + directory.path().resolve(ModelManifest.FILE_NAME) + " says dimension "
          + manifest.dimension());
    }
    if (manifest.maxLength() > config.maxPositions()) {
      throw new IOException(directory.path().resolve(ModelManifest.FILE_NAME) + ": maxLength "
          + manifest.maxLength() + " exceeds the model's " + config.maxPositions() + " positions");
    }
    BertEncoderBlock block = new BertEncoderBlock(config, dropout);
    Model model = Model.newInstance(manifest.name(), Device.cpu(), ENGINE);
    TextTokenizer tokenizer = null;
    try {
      block.loadWeights(graph, model.getNDManager());
      model.setBlock(block);
      Shape inputShape = new Shape(1, manifest.maxLength());
      block.initialize(model.getNDManager(), DataType.FLOAT32, inputShape, inputShape, inputShape);
      tokenizer = TextTokenizer.load(directory);
      return new SentenceEncoder(directory, tokenizer, model, block);
    } catch (IOException | RuntimeException e) {
      model.close();
      if (tokenizer != null) {
        tokenizer.close();
      }
      throw e;
    }
  }

  /** The DJL model holding the block: for a Trainer, an optimizer, and parameter checkpoints. */
  public Model model() {
    return model;
  }

  public BertEncoderBlock block() {
    return block;
  }

  public ModelDirectory source() {
    return source;
  }

  public ModelManifest manifest() {
    return source.manifest();
  }

  public TextTokenizer tokenizer() {
    return tokenizer;
  }

  /**
   * Text vectors {@code [rows, dim]}: the last hidden state pooled per the manifest (mean over
   * the attention mask, or the [CLS] token), L2-normalized when the manifest says so.
   * Differentiable: call inside a GradientCollector to train.
   *
   * @param manager owns the inputs and every intermediate array
   */
  public NDArray embed(ParameterStore parameters, NDManager manager, TokenBatch batch,
      boolean training) {
    Shape shape = new Shape(batch.rows(), batch.length());
    NDArray mask = manager.create(LongBuffer.wrap(batch.attentionMask()), shape);
    NDList inputs = new NDList(
        manager.create(LongBuffer.wrap(batch.inputIds()), shape),
        mask,
        manager.create(LongBuffer.wrap(batch.tokenTypeIds()), shape));
    NDArray hidden = block.forward(parameters, inputs, training).singletonOrThrow();
    NDArray pooled = switch (manifest().pooling()) {
      case CLS -> hidden.get(new NDIndex(":, 0, :"));
      case MEAN -> {
        NDArray weights = mask.toType(DataType.FLOAT32, false).expandDims(2); // [rows, seq, 1]
        NDArray tokens = weights.sum(new int[] {1}).maximum(1f); // as Encoder: no division by 0
        yield hidden.mul(weights).sum(new int[] {1}).div(tokens);
      }
    };
    if (!manifest().normalize()) {
      return pooled;
    }
    // clamp before the root: sqrt's gradient at 0 is infinite and would turn a zero vector's
    // (zero) upstream gradient into NaN
    NDArray norm = pooled.square().sum(new int[] {1}, true).maximum(1e-24f).sqrt();
    return pooled.div(norm);
  }

  @Override
  public void close() {
    model.close();
    tokenizer.close();
  }
}
