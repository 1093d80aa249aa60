package dev.whetstone.search;

import java.util.Arrays;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;
import org.apache.lucene.search.Explanation;
import org.apache.lucene.search.ScoreDoc;

/**
 * The candidates of a lexical and a dense side fused into one set of scored documents, ordered by
 * doc id (as a {@link FusedDocsQuery} needs), with what each side said about each document.
 */
public final class FusedHits {
  final int[] docs;
  final float[] scores;
  /** Explains the document at an index into {@link #docs}. */
  private final IntFunction<Explanation> explainer;

  /**
   * One side's view of the fused documents, by index into {@link #docs}: rank 0 means the side did
   * not return the document.
   */
  private record Side(String name, double weight, int[] ranks, float[] rawScores,
      double[] contributions) {

    static Side of(String name, double weight, Function<float[], double[]> contributions,
        ScoreDoc[] candidates, int[] docs) {
      float[] ranked = new float[candidates.length];
      for (int r = 0; r < candidates.length; r++) {
        ranked[r] = candidates[r].score;
      }
      double[] byRank = contributions.apply(ranked);
      Side side = new Side(name, weight, new int[docs.length], new float[docs.length],
          new double[docs.length]);
      for (int r = 0; r < candidates.length; r++) {
        int i = Arrays.binarySearch(docs, candidates[r].doc);
        side.ranks[i] = r + 1;
        side.rawScores[i] = candidates[r].score;
        side.contributions[i] = byRank[r];
      }
      return side;
    }

    double weighted(int i) {
      return weight * contributions[i];
    }

    Explanation explain(int i) {
      if (ranks[i] == 0) {
        return Explanation.match(0f, name + ": not among its candidates");
      }
      return Explanation.match((float) weighted(i), name + ": rank " + ranks[i] + ", raw score "
          + rawScores[i] + ", contribution " + contributions[i] + " * weight " + weight);
    }
  }

  private FusedHits(int[] docs, float[] scores, IntFunction<Explanation> explainer) {
    this.docs = docs;
    this.scores = scores;
    this.explainer = explainer;
  }

  private static FusedHits of(int[] docs, Fusion fusion, Side lexical, Side dense) {
    float[] scores = new float[docs.length];
    for (int i = 0; i < docs.length; i++) {
      scores[i] = (float) (lexical.weighted(i) + dense.weighted(i));
    }
    return new FusedHits(docs, scores, i -> Explanation.match(scores[i],
        "hybrid " + fusion + " score, sum of:", lexical.explain(i), dense.explain(i)));
  }

  /**
   * Documents whose fused scores were computed elsewhere (on a SolrCloud coordinator, over the
   * whole collection's candidates).
   *
   * @param docs top-level doc ids, ascending
   * @param origin says in explanations where the scores come from
   */
  static FusedHits precomputed(int[] docs, float[] scores, String origin) {
    return new FusedHits(docs, scores, i -> Explanation.match(scores[i], origin));
  }

  /**
   * Fuses two sides' top documents (each best first, top-level doc ids): a document's score is
   * {@code lexicalWeight * lexicalContribution + denseWeight * denseContribution}.
   */
  public static FusedHits fuse(Fusion fusion, ScoreDoc[] lexical, double lexicalWeight,
      ScoreDoc[] dense, double denseWeight) {
    int[] docs = Stream.of(lexical, dense).flatMap(Arrays::stream).mapToInt(sd -> sd.doc)
        .distinct().sorted().toArray();
    return of(docs, fusion,
        Side.of("lexical", lexicalWeight, fusion::contributions, lexical, docs),
        Side.of("dense", denseWeight, fusion::denseContributions, dense, docs));
  }

  /** Number of fused documents. */
  public int size() {
    return docs.length;
  }

  /** The fused score of a top-level doc id, or NaN when it is not among the fused documents. */
  public float score(int doc) {
    int i = Arrays.binarySearch(docs, doc);
    return i < 0 ? Float.NaN : scores[i];
  }

  /** How the document at index {@code i} got its fused score. */
  Explanation explain(int i) {
    return explainer.apply(i);
  }
}
