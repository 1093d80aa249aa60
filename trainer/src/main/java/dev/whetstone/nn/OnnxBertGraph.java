package dev.whetstone.nn;

import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.ModelProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import com.google.protobuf.ByteString;
import com.google.protobuf.CodedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Function;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A BERT encoder's ONNX graph (HuggingFace's export, as in the LangChain4j model jars): its shape
 * and its weights under their HuggingFace parameter names, and a way to write the graph back with
 * other weights.
 *
 * <p>The exporter keeps HuggingFace names for embeddings, LayerNorms and biases but renames the
 * weight matrices ({@code onnx::MatMul_787}) and stores them transposed, {@code [in, out]}; the
 * name of the MatMul node that consumes one ({@code
 * /encoder/layer.0/attention/self/query/MatMul}) tells which it is. This class names them {@code
 * encoder.layer.0.attention.self.query.weight} and keeps the {@code [in, out]} layout.
 *
 * <p>The graph's {@link BertConfig} is inferred by {@link BertConfigReader}; this class checks
 * every parameter's shape against it.
 */
public final class OnnxBertGraph {
  /** Ops of int8-quantized graphs: their weights are not trainable floats. */
  private static final Set<String> QUANTIZED_OPS = Set.of("MatMulInteger", "DynamicQuantizeLinear",
      "QLinearMatMul", "DequantizeLinear", "QuantizeLinear");
  private static final Pattern WEIGHT_MATMUL = Pattern.compile("/(encoder/layer\\.\\d+/.+)/MatMul");

  private final Path file;
  private final ModelProto model;
  /** HuggingFace parameter name → index of its initializer in the graph. */
  private final Map<String, Integer> initializers;
  private final BertConfig config;

  private OnnxBertGraph(Path file, ModelProto model) throws IOException {
    this.file = file;
    this.model = model;
    GraphProto graph = model.getGraph();
    Set<String> quantizedOps = new TreeSet<>();
    for (NodeProto node : graph.getNodeList()) {
      if (QUANTIZED_OPS.contains(node.getOpType())) {
        quantizedOps.add(node.getOpType());
      }
    }
    if (!quantizedOps.isEmpty()) {
      throw new IOException(file + " is an int8-quantized model (it has " + quantizedOps
          + " nodes): quantized models are for inference only; train its float32 model instead");
    }
    this.initializers = parameterNames(graph);
    this.config = BertConfigReader.read(file, graph, initializers);
    checkShapes();
  }

  /** Parses an ONNX file. */
  public static OnnxBertGraph read(Path onnxFile) throws IOException {
    ModelProto model;
    try (InputStream in = Files.newInputStream(onnxFile)) {
      CodedInputStream coded = CodedInputStream.newInstance(in);
      coded.setSizeLimit(Integer.MAX_VALUE); // protobuf's default limit (64 MB) is below BERT sizes
      model = ModelProto.parseFrom(coded);
    } catch (IOException e) {
      throw new IOException("cannot read ONNX model " + onnxFile + ": " + e.getMessage(), e);
    }
    return new OnnxBertGraph(onnxFile, model);
  }

  public BertConfig config() {
    return config;
  }

  public Path file() {
    return file;
  }

  /** The trainable parameters' HuggingFace names, in {@link BertEncoderBlock}'s order. */
  public static List<String> parameterNames(BertConfig config) {
    List<String> names = new ArrayList<>(List.of("embeddings.word_embeddings.weight",
        "embeddings.position_embeddings.weight", "embeddings.token_type_embeddings.weight",
        "embeddings.LayerNorm.weight", "embeddings.LayerNorm.bias"));
    for (int l = 0; l < config.layers(); l++) {
      String p = "encoder.layer." + l + ".";
      for (String part : new String[] {"attention.self.query", "attention.self.key",
          "attention.self.value", "attention.output.dense", "attention.output.LayerNorm",
          "intermediate.dense", "output.dense", "output.LayerNorm"}) {
        names.add(p + part + ".weight");
        names.add(p + part + ".bias");
      }
    }
    return names;
  }

  /** The shape a parameter must have; linear weights are {@code [in, out]}. */
  public static long[] expectedShape(BertConfig c, String name) {
    if (name.startsWith("embeddings.")) {
      return switch (name) {
        case "embeddings.word_embeddings.weight" -> new long[] {c.vocabSize(), c.hidden()};
        case "embeddings.position_embeddings.weight" -> new long[] {c.maxPositions(), c.hidden()};
        case "embeddings.token_type_embeddings.weight" ->
            new long[] {c.typeVocabSize(), c.hidden()};
        default -> new long[] {c.hidden()};
      };
    }
    boolean weight = name.endsWith(".weight") && !name.contains("LayerNorm");
    if (name.contains(".intermediate.dense.")) {
      return weight ? new long[] {c.hidden(), c.intermediate()} : new long[] {c.intermediate()};
    }
    if (name.contains(".output.dense.") && !name.contains(".attention.")) {
      return weight ? new long[] {c.intermediate(), c.hidden()} : new long[] {c.hidden()};
    }
    return weight ? new long[] {c.hidden(), c.hidden()} : new long[] {c.hidden()};
  }

  /** A parameter's values, row-major. */
  public float[] weights(String name) {
    TensorProto tensor = tensor(name);
    if (tensor.getFloatDataCount() > 0) {
      float[] values = new float[tensor.getFloatDataCount()];
      for (int i = 0; i < values.length; i++) {
        values[i] = tensor.getFloatData(i);
      }
      return values;
    }
    ByteBuffer raw = tensor.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
    float[] values = new float[raw.remaining() / Float.BYTES];
    raw.asFloatBuffer().get(values);
    return values;
  }

  /**
   * Writes this graph with every parameter's values replaced by {@code weights.apply(name)};
   * nodes, inputs, outputs and all other initializers stay as they are.
   */
  public void write(Path target, Function<String, float[]> weights) throws IOException {
    GraphProto.Builder graph = model.getGraph().toBuilder();
    for (String name : parameterNames(config)) {
      float[] values = weights.apply(name);
      int index = initializers.get(name);
      TensorProto old = graph.getInitializer(index);
      if (values.length != elementCount(old)) {
        throw new IllegalArgumentException("parameter " + name + " has " + values.length
            + " values but the graph's initializer " + old.getName() + " holds "
            + elementCount(old));
      }
      ByteBuffer bytes =
          ByteBuffer.allocate(values.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      bytes.asFloatBuffer().put(values);
      graph.setInitializer(index, old.toBuilder().clearFloatData()
          .setRawData(ByteString.copyFrom(bytes.array())).build());
    }
    try (OutputStream out = Files.newOutputStream(target)) {
      model.toBuilder().setGraph(graph).build().writeTo(out);
    }
  }

  private TensorProto tensor(String name) {
    Integer index = initializers.get(name);
    if (index == null) {
      throw new IllegalArgumentException(file + " has no parameter " + name);
    }
    return model.getGraph().getInitializer(index);
  }

  private static long elementCount(TensorProto tensor) {
    long count = 1;
    for (long d : tensor.getDimsList()) {
      count *= d;
    }
    return count;
  }

  private static Map<String, Integer> parameterNames(GraphProto graph) {
    Map<String, Integer> byInitializerName = new HashMap<>();
    for (int i = 0; i < graph.getInitializerCount(); i++) {
      byInitializerName.put(graph.getInitializer(i).getName(), i);
    }
    Map<String, Integer> names = new LinkedHashMap<>(byInitializerName);
    for (NodeProto node : graph.getNodeList()) {
      Matcher m = WEIGHT_MATMUL.matcher(node.getName());
      if (node.getOpType().equals("MatMul") && m.matches() && node.getInputCount() == 2
          && byInitializerName.containsKey(node.getInput(1))) {
        String name = m.group(1).replace('/', '.') + ".weight";
        names.put(name, byInitializerName.get(node.getInput(1)));
      }
    }
    return names;
  }

  private long[] dims(String name) throws IOException {
    return BertConfigReader.dims(file, model.getGraph(), initializers, name);
  }

  private void checkShapes() throws IOException {
    for (String name : parameterNames(config)) {
      long[] actual = dims(name);
      long[] expected = expectedShape(config, name);
      if (!Arrays.equals(actual, expected)) {
        throw new IOException(file + ": parameter " + name + " has shape "
            + Arrays.toString(actual) + ", expected " + Arrays.toString(expected)
            + " for " + config);
      }
      if (tensor(name).getDataType() != TensorProto.DataType.FLOAT_VALUE) {
        throw new IOException(file + ": parameter " + name + " is not float32");
      }
    }
  }
}
