package dev.whetstone.nn;

/**
 * The shape of a BERT encoder, as read from an ONNX graph.
 *
 * @param layers transformer layers
 * @param hidden hidden size (the output vector dimension)
 * @param heads attention heads; {@code hidden} is a multiple of it
 * @param intermediate size of the feed-forward layer
 * @param vocabSize word embedding rows
 * @param maxPositions position embedding rows: the longest input in tokens
 * @param typeVocabSize token type embedding rows
 * @param layerNormEps epsilon of every LayerNorm
 */
public record BertConfig(int layers, int hidden, int heads, int intermediate, int vocabSize,
    int maxPositions, int typeVocabSize, float layerNormEps) {

  public BertConfig {
    if (layers <= 0 || hidden <= 0 || heads <= 0 || intermediate <= 0 || vocabSize <= 0
        || maxPositions <= 0 || typeVocabSize <= 0) {
      throw new IllegalArgumentException("all sizes must be > 0: " + this);
    }
    if (hidden % heads != 0) {
      throw new IllegalArgumentException("hidden size " + hidden + " is not a multiple of "
          + heads + " heads");
    }
  }

  public int headSize() {
    return hidden / heads;
  }
}
