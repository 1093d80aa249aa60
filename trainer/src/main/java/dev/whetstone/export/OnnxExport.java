package dev.whetstone.export;

import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.nn.BertEncoderBlock;
import dev.whetstone.nn.OnnxBertGraph;
import dev.whetstone.nn.SentenceEncoder;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a trained encoder as a model directory Solr loads unchanged: the source model's ONNX graph
 * (same nodes, inputs and outputs) with the trained weights in its initializers, the source's
 * tokenizer, and a manifest with the new file's fingerprint.
 */
public final class OnnxExport {
  private OnnxExport() {}

  /**
   * Writes {@code target/{model.onnx, tokenizer.json, whetstone-model.json}}; the directory appears
   * complete or not at all.
   *
   * @param documentTowerFingerprint for a query-only model, the fingerprint of the document model
   *     whose vectors it pairs with; {@code null} for a model that embeds both sides
   */
  public static ModelDirectory write(SentenceEncoder trained, Path target, String name,
      String version, String documentTowerFingerprint) throws IOException {
    ModelDirectory source = trained.source();
    BertEncoderBlock block = trained.block();
    return ModelDirectory.create(target, folder -> {
      Path onnx = folder.resolve(ModelDirectory.ONNX_FILE);
      OnnxBertGraph.read(source.onnxFile())
          .write(onnx, parameter -> block.parameter(parameter).getArray().toFloatArray());
      Files.copy(source.tokenizerFile(), folder.resolve(ModelDirectory.TOKENIZER_FILE));
      ModelManifest m = source.manifest();
      new ModelManifest(name, version, m.dimension(), m.pooling(), m.normalize(), m.maxLength(),
          m.queryPrefix(), m.documentPrefix(), m.similarity(), ModelDirectory.sha256(onnx),
          documentTowerFingerprint)
          .write(folder.resolve(ModelManifest.FILE_NAME));
    });
  }
}
