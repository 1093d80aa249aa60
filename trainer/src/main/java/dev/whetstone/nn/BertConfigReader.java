package dev.whetstone.nn;

import ai.onnx.proto.OnnxMl.AttributeProto;
import ai.onnx.proto.OnnxMl.GraphProto;
import ai.onnx.proto.OnnxMl.NodeProto;
import ai.onnx.proto.OnnxMl.TensorProto;
import java.io.IOException;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Infers the {@link BertConfig} of a BERT encoder's ONNX graph (HuggingFace's export), which does
 * not store it: sizes from the parameters' shapes, the layer count from their names, the attention
 * head count and the LayerNorm epsilon from the nodes that use them.
 */
final class BertConfigReader {
  private static final Pattern LAYER = Pattern.compile("encoder\\.layer\\.(\\d+)\\..*");

  private final Path file;
  private final GraphProto graph;
  /** HuggingFace parameter name → index of its initializer in the graph. */
  private final Map<String, Integer> parameters;

  private BertConfigReader(Path file, GraphProto graph, Map<String, Integer> parameters) {
    this.file = file;
    this.graph = graph;
    this.parameters = parameters;
  }

  /**
   * The configuration of {@code graph}, read from {@code file}; {@code parameters}: HuggingFace
   * parameter name to initializer index. An IOException naming {@code file} when the graph is not
   * a BERT encoder exported by HuggingFace.
   */
  static BertConfig read(Path file, GraphProto graph, Map<String, Integer> parameters)
      throws IOException {
    return new BertConfigReader(file, graph, parameters).read();
  }

  private BertConfig read() throws IOException {
    long[] words = dims("embeddings.word_embeddings.weight");
    long[] positions = dims("embeddings.position_embeddings.weight");
    long[] types = dims("embeddings.token_type_embeddings.weight");
    int layers = 0;
    for (String name : parameters.keySet()) {
      Matcher m = LAYER.matcher(name);
      if (m.matches()) {
        layers = Math.max(layers, Integer.parseInt(m.group(1)) + 1);
      }
    }
    if (layers == 0) {
      throw new IOException(file + " has no encoder.layer.* parameters: not a BERT encoder");
    }
    int hidden = (int) words[1];
    int heads = attentionHeads(hidden);
    int intermediate = (int) dims("encoder.layer.0.intermediate.dense.bias")[0];
    try {
      return new BertConfig(layers, hidden, heads, intermediate, (int) words[0],
          (int) positions[0], (int) types[0], layerNormEpsilon());
    } catch (IllegalArgumentException e) {
      throw new IOException(file + ": " + e.getMessage(), e);
    }
  }

  private long[] dims(String name) throws IOException {
    return dims(file, graph, parameters, name);
  }

  /**
   * The shape of parameter {@code name} of {@code graph} ({@code parameters}: HuggingFace name to
   * initializer index); an IOException naming {@code file} when the graph has no such parameter.
   */
  static long[] dims(Path file, GraphProto graph, Map<String, Integer> parameters, String name)
      throws IOException {
    Integer index = parameters.get(name);
    if (index == null) {
      throw new IOException(file + " has no parameter " + name + ": not a BERT encoder exported "
          + "by HuggingFace");
    }
    return graph.getInitializer(index).getDimsList().stream().mapToLong(Long::longValue).toArray();
  }

  /**
   * The head count is not stored as such: the exporter reshapes keys to {@code [batch, seq, heads,
   * headSize]} with a shape built from constants, so it is read from layer 0's key Reshape.
   */
  private int attentionHeads(int hidden) throws IOException {
    Map<String, NodeProto> producers = producers();
    for (NodeProto node : graph.getNodeList()) {
      if (!node.getOpType().equals("Reshape")
          || !node.getName().startsWith("/encoder/layer.0/attention/self/")) {
        continue;
      }
      NodeProto concat = producers.get(node.getInput(1));
      if (concat == null || !concat.getOpType().equals("Concat") || concat.getInputCount() != 4) {
        continue;
      }
      Long heads = constantLong(producers.get(concat.getInput(2)));
      Long headSize = constantLong(producers.get(concat.getInput(3)));
      if (heads != null && headSize != null && heads * headSize == hidden) {
        return heads.intValue();
      }
    }
    throw new IOException(file + ": cannot find the attention head count (no Reshape to [batch, "
        + "seq, heads, headSize] in /encoder/layer.0/attention/self/)");
  }

  /** Epsilon of the embeddings' LayerNorm: a LayerNormalization attribute or the Add constant. */
  private float layerNormEpsilon() throws IOException {
    Map<String, NodeProto> producers = producers();
    for (NodeProto node : graph.getNodeList()) {
      if (!node.getName().startsWith("/embeddings/LayerNorm/")) {
        continue;
      }
      if (node.getOpType().equals("LayerNormalization")) {
        for (AttributeProto attribute : node.getAttributeList()) {
          if (attribute.getName().equals("epsilon")) {
            return attribute.getF();
          }
        }
        return 1e-5f; // the ONNX default
      }
      // decomposed: sqrt(ReduceMean((x - mean)^2) + eps)
      if (node.getOpType().equals("Add") && node.getInputCount() == 2) {
        NodeProto left = producers.get(node.getInput(0));
        if (left != null && left.getOpType().equals("ReduceMean")) {
          NodeProto right = producers.get(node.getInput(1));
          Float eps = constantFloat(right);
          if (eps != null) {
            return eps;
          }
        }
      }
    }
    throw new IOException(
        file + ": cannot find the LayerNorm epsilon under /embeddings/LayerNorm/");
  }

  private Map<String, NodeProto> producers() {
    Map<String, NodeProto> producers = new HashMap<>();
    for (NodeProto node : graph.getNodeList()) {
      for (String output : node.getOutputList()) {
        producers.put(output, node);
      }
    }
    return producers;
  }

  private static TensorProto constantTensor(NodeProto node) {
    if (node == null || !node.getOpType().equals("Constant") || node.getAttributeCount() != 1
        || !node.getAttribute(0).hasT()) {
      return null;
    }
    return node.getAttribute(0).getT();
  }

  private static Long constantLong(NodeProto node) {
    TensorProto t = constantTensor(node);
    if (t == null || t.getDataType() != TensorProto.DataType.INT64_VALUE) {
      return null;
    }
    if (t.getInt64DataCount() == 1) {
      return t.getInt64Data(0);
    }
    return t.getRawData().size() == Long.BYTES
        ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getLong() : null;
  }

  private static Float constantFloat(NodeProto node) {
    TensorProto t = constantTensor(node);
    if (t == null || t.getDataType() != TensorProto.DataType.FLOAT_VALUE) {
      return null;
    }
    if (t.getFloatDataCount() == 1) {
      return t.getFloatData(0);
    }
    return t.getRawData().size() == Float.BYTES
        ? t.getRawData().asReadOnlyByteBuffer().order(ByteOrder.LITTLE_ENDIAN).getFloat() : null;
  }
}
