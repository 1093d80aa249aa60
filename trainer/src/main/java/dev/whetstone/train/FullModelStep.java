package dev.whetstone.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDArrays;
import ai.djl.ndarray.NDList;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.index.NDIndex;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.whetstone.model.TokenBatch;
import dev.whetstone.nn.SentenceEncoder;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/**
 * Trains the shared encoder on both towers with GradCache (Gao et al. 2021): embed the whole batch
 * without a graph, take the loss gradient with respect to the embeddings, then re-embed in small
 * chunks with a graph and back-propagate those gradients. The loss sees every in-batch negative of
 * a large batch while memory holds only one chunk's activations. The two forward passes must agree,
 * so the encoder runs without dropout.
 */
final class FullModelStep implements TrainingStep {
  private final SentenceEncoder encoder;
  private final BatchLoss loss;
  private final Map<String, String> documentTexts;
  private final int chunkSize;
  private final ParameterStore parameters;

  FullModelStep(SentenceEncoder encoder, BatchLoss loss,
      Map<String, String> documentTexts, int chunkSize) {
    this.encoder = encoder;
    this.loss = loss;
    this.documentTexts = documentTexts;
    this.chunkSize = chunkSize;
    this.parameters = new ParameterStore(encoder.model().getNDManager(), false);
  }

  @Override
  public float backward(ContrastiveBatch batch) {
    List<String> queries = batch.queryTexts();
    List<String> documents = batch.documentIds().stream().map(documentTexts::get).toList();
    float value;
    try (NDManager scratch = encoder.model().getNDManager().newSubManager()) {
      NDArray queryEmbeddings = embedWithoutGraph(scratch, queries, t -> encoder.tokenizer().queries(t));
      NDArray documentEmbeddings =
          embedWithoutGraph(scratch, documents, t -> encoder.tokenizer().documents(t));
      queryEmbeddings.setRequiresGradient(true);
      documentEmbeddings.setRequiresGradient(true);
      try (GradientCollector collector = Engine.getEngine(SentenceEncoder.ENGINE).newGradientCollector()) {
        NDArray batchLoss =
            loss.loss(queryEmbeddings, documentEmbeddings, batch);
        collector.backward(batchLoss);
        value = batchLoss.getFloat();
      }
      NDArray queryGradients = queryEmbeddings.getGradient();
      NDArray documentGradients = documentEmbeddings.getGradient();
      try (GradientCollector collector = Engine.getEngine(SentenceEncoder.ENGINE).newGradientCollector()) {
        backpropagate(collector, queries, queryGradients, t -> encoder.tokenizer().queries(t));
        backpropagate(collector, documents, documentGradients,
            t -> encoder.tokenizer().documents(t));
      }
    }
    return value;
  }

  private NDArray embedWithoutGraph(NDManager manager, List<String> texts,
      Function<List<String>, TokenBatch> tokenize) {
    NDList chunks = new NDList();
    for (int from = 0; from < texts.size(); from += chunkSize) {
      List<String> chunk = texts.subList(from, Math.min(texts.size(), from + chunkSize));
      // A chunk's activations die with its manager; only the embeddings are kept.
      try (NDManager chunkManager = manager.newSubManager()) {
        NDArray embeddings = encoder.embed(parameters, chunkManager, tokenize.apply(chunk), true);
        embeddings.attach(manager);
        chunks.add(embeddings);
      }
    }
    return NDArrays.concat(chunks);
  }

  private void backpropagate(GradientCollector collector, List<String> texts, NDArray gradients,
      Function<List<String>, TokenBatch> tokenize) {
    for (int from = 0; from < texts.size(); from += chunkSize) {
      int to = Math.min(texts.size(), from + chunkSize);
      try (NDManager chunkManager = encoder.model().getNDManager().newSubManager()) {
        NDArray embeddings = encoder.embed(parameters, chunkManager,
            tokenize.apply(texts.subList(from, to)), true);
        NDArray chunkGradients = gradients.get(new NDIndex("{}:{}", from, to));
        chunkGradients.attach(chunkManager);
        collector.backward(embeddings.mul(chunkGradients).sum());
      }
    }
  }
}
