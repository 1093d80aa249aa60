package dev.whetstone.demo;

import dev.whetstone.retrieval.RetrievalMode;
import java.util.Map;
import java.util.Optional;

/**
 * Published nDCG@10 on BEIR test splits to compare a run with (sources: /work/shared/data/README.md
 * of this project: Pyserini's BEIR regressions for BM25 multifield, MTEB results for the models).
 */
public final class PublishedResults {
  private PublishedResults() {}

  /** A published figure and where it comes from. */
  public record Reference(double ndcg10, String source) {}

  private static final Map<String, Reference> SCIFACT = Map.of(
      "bm25", new Reference(0.6647, "BM25 multifield, Anserini/Pyserini"),
      "dense/all-minilm-l6-v2", new Reference(0.6451, "all-MiniLM-L6-v2, MTEB"),
      "dense/bge-small-en-v1.5", new Reference(0.7127, "bge-small-en-v1.5, MTEB"),
      "dense/e5-small-v2", new Reference(0.6885, "e5-small-v2, MTEB (reported by authors)"));

  /** The reference for a data set, retrieval mode and model, if one is published. */
  public static Optional<Reference> of(String dataset, RetrievalMode mode, String model) {
    if (!dataset.equals("scifact")) {
      return Optional.empty();
    }
    String key = mode == RetrievalMode.DENSE ? "dense/" + model : mode.label();
    return Optional.ofNullable(SCIFACT.get(key));
  }
}
