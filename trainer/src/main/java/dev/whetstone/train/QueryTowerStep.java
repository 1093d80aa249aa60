package dev.whetstone.train;

import ai.djl.engine.Engine;
import ai.djl.ndarray.NDArray;
import ai.djl.ndarray.NDManager;
import ai.djl.ndarray.types.Shape;
import ai.djl.training.GradientCollector;
import ai.djl.training.ParameterStore;
import dev.whetstone.nn.SentenceEncoder;
import dev.whetstone.retrieval.DenseIndex;
import java.util.List;

/**
 * Trains the query encoder alone (ADORE, Zhan et al. 2021): documents are the fixed vectors the
 * cluster already indexed, so only the queries carry a graph, and the whole batch fits at once.
 */
final class QueryTowerStep implements TrainingStep {
  private final SentenceEncoder encoder;
  private final BatchLoss loss;
  private final DenseIndex documents;
  private final ParameterStore parameters;

  QueryTowerStep(SentenceEncoder encoder, BatchLoss loss,
      DenseIndex documents) {
    this.encoder = encoder;
    this.loss = loss;
    this.documents = documents;
    this.parameters = new ParameterStore(encoder.model().getNDManager(), false);
  }

  @Override
  public float backward(ContrastiveBatch batch) {
    List<String> ids = batch.documentIds();
    int dimension = encoder.manifest().dimension();
    float[] fixed = new float[ids.size() * dimension];
    for (int i = 0; i < ids.size(); i++) {
      System.arraycopy(documents.vector(ids.get(i)), 0, fixed, i * dimension, dimension);
    }
    float value;
    try (NDManager scratch = encoder.model().getNDManager().newSubManager();
        GradientCollector collector = Engine.getEngine(SentenceEncoder.ENGINE).newGradientCollector()) {
      NDArray documentVectors = scratch.create(fixed, new Shape(ids.size(), dimension));
      NDArray queries = encoder.embed(parameters, scratch,
          encoder.tokenizer().queries(batch.queryTexts()), true);
      NDArray batchLoss = loss.loss(queries, documentVectors, batch);
      collector.backward(batchLoss);
      value = batchLoss.getFloat();
    }
    return value;
  }
}
