package dev.whetstone.retrieval;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;

/**
 * Query vectors by text, each embedded once. {@link #prepare} embeds many texts in batched model
 * calls; {@link #get} embeds a missing one alone.
 */
public final class QueryVectors {
  private final Function<List<String>, float[][]> encoder;
  private final Map<String, float[]> vectors = new ConcurrentHashMap<>();

  /** @param encoder query texts to vectors, e.g. {@code Encoder::encodeQueries} */
  public QueryVectors(Function<List<String>, float[][]> encoder) {
    this.encoder = encoder;
  }

  /** Embeds the texts not seen yet, in one call. */
  public void prepare(Collection<String> texts) {
    List<String> missing = new ArrayList<>(new LinkedHashSet<>(texts));
    missing.removeIf(vectors::containsKey);
    if (missing.isEmpty()) {
      return;
    }
    float[][] embedded = encoder.apply(missing);
    for (int i = 0; i < missing.size(); i++) {
      vectors.put(missing.get(i), embedded[i]);
    }
  }

  /** Supplies vectors computed elsewhere (e.g. read from an embedding cache). */
  public void put(List<String> texts, float[][] embedded) {
    for (int i = 0; i < texts.size(); i++) {
      vectors.put(texts.get(i), embedded[i]);
    }
  }

  public float[] get(String text) {
    float[] vector = vectors.get(text);
    if (vector == null) {
      prepare(List.of(text));
      vector = vectors.get(text);
    }
    return vector;
  }
}
