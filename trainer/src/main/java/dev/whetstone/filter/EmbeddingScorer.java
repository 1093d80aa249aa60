package dev.whetstone.filter;

import dev.whetstone.data.BeirDocument;
import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.EmbeddingCache;
import dev.whetstone.retrieval.QueryVectors;
import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** Dot product of a query vector and a document vector of one model (teacher, guide or current). */
public final class EmbeddingScorer implements RelevanceScorer {
  private final String name;
  private final DenseIndex documents;
  private final QueryVectors queries;

  public EmbeddingScorer(String name, DenseIndex documents, QueryVectors queries) {
    this.name = name;
    this.documents = documents;
    this.queries = queries;
  }

  /**
   * A pretrained model as teacher: the corpus and every query the rules will score are embedded up
   * front (through the cache), so the encoder is closed when this returns.
   */
  public static EmbeddingScorer pretrained(String name, Path modelsDir, List<BeirDocument> corpus,
      List<String> queryTexts, EmbeddingCache cache, PrintStream out) throws IOException {
    return embedded(ModelCache.ensure(modelsDir, name), name, corpus, queryTexts, cache, out);
  }

  /** As {@link #pretrained}, the teacher being the model in {@code teacher}. */
  public static EmbeddingScorer embedded(ModelDirectory teacher, String name,
      List<BeirDocument> corpus, List<String> queryTexts, EmbeddingCache cache, PrintStream out)
      throws IOException {
    try (Encoder encoder = Encoder.load(teacher)) {
      out.printf("Embedding with the teacher %s%n", name);
      DenseIndex index = new DenseIndex(corpus.stream().map(BeirDocument::id).toList(),
          cache.documents(encoder, corpus));
      QueryVectors vectors = new QueryVectors(texts -> {
        throw new IllegalStateException("teacher query not embedded up front: " + texts);
      });
      vectors.put(queryTexts, cache.queries(encoder, queryTexts));
      return new EmbeddingScorer(name, index, vectors);
    }
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public float score(String queryText, String docId) {
    return documents.score(queries.get(queryText), docId);
  }
}
