package dev.whetstone.model;

import ai.djl.huggingface.tokenizers.Encoding;
import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import java.io.IOException;
import java.util.List;
import java.util.Objects;

/**
 * A model directory's tokenizer with the manifest's settings (max length with truncation, special
 * tokens, query and document prefixes). Solr's encoder and the trainer both tokenize through this
 * class, so a text becomes the same tokens when training and when serving.
 *
 * <p>Thread-safe: the HuggingFace tokenizer encodes concurrently.
 */
public final class TextTokenizer implements AutoCloseable {
  private final ModelManifest manifest;
  private final HuggingFaceTokenizer tokenizer;

  private TextTokenizer(ModelManifest manifest, HuggingFaceTokenizer tokenizer) {
    this.manifest = manifest;
    this.tokenizer = tokenizer;
  }

  public static TextTokenizer load(ModelDirectory directory) throws IOException {
    HuggingFaceTokenizer tokenizer = HuggingFaceTokenizer.builder()
        .optTokenizerPath(directory.tokenizerFile())
        .optMaxLength(directory.manifest().maxLength())
        .optTruncation(true)
        .optPadding(false) // batches pad to their own longest text, see TokenBatch.pad
        .optAddSpecialTokens(true)
        .build();
    return new TextTokenizer(directory.manifest(), tokenizer);
  }

  /** Queries with the manifest's query prefix, padded to the longest. */
  public TokenBatch queries(List<String> texts) {
    return TokenBatch.pad(List.of(tokenizeQueries(texts)));
  }

  /** Documents with the manifest's document prefix, padded to the longest. */
  public TokenBatch documents(List<String> texts) {
    return TokenBatch.pad(List.of(tokenizeDocuments(texts)));
  }

  /** Queries with the manifest's query prefix, one unpadded sequence per text. */
  public TokenSequence[] tokenizeQueries(List<String> texts) {
    return tokenize(texts, manifest.queryPrefix());
  }

  /** Documents with the manifest's document prefix, one unpadded sequence per text. */
  public TokenSequence[] tokenizeDocuments(List<String> texts) {
    return tokenize(texts, manifest.documentPrefix());
  }

  private TokenSequence[] tokenize(List<String> texts, String prefix) {
    TokenSequence[] sequences = new TokenSequence[texts.size()];
    for (int i = 0; i < sequences.length; i++) {
      String text = Objects.requireNonNull(texts.get(i), "text");
      Encoding encoding = tokenizer.encode(prefix + text);
      sequences[i] = new TokenSequence(encoding.getIds(), encoding.getTypeIds());
    }
    return sequences;
  }

  @Override
  public void close() {
    tokenizer.close();
  }
}
