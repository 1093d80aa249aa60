package dev.whetstone.solr.search;

import dev.whetstone.search.FusedHits;
import dev.whetstone.search.Fusion;
import dev.whetstone.solr.search.HybridCandidates.Hit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.lucene.search.ScoreDoc;

/**
 * Fuses the collection's {@code {!hybrid}} candidates on the coordinator: the lexical and dense
 * windows merged from every shard, by unique key, into one ranking. The same fusion as a single
 * index's: the keys are numbered, fused by {@link FusedHits}, and mapped back.
 */
final class CollectionFusion {
  private CollectionFusion() {}

  /** The collection's windows fused, best first (equal scores by key, for a stable order). */
  static List<Hit> fuse(Fusion fusion, double lexicalWeight, double denseWeight,
      HybridCandidates.Windows windows) {
    // the same code as single-index fusion: number the keys, fuse, map back
    Map<String, Integer> numbers = new HashMap<>();
    List<Hit> numbered = new ArrayList<>();
    ScoreDoc[] lexical = number(windows.lexical(), numbers, numbered);
    ScoreDoc[] dense = number(windows.dense(), numbers, numbered);
    FusedHits scores = FusedHits.fuse(fusion, lexical, lexicalWeight, dense, denseWeight);
    List<Hit> fused = new ArrayList<>(numbered.size());
    for (int i = 0; i < numbered.size(); i++) {
      Hit hit = numbered.get(i);
      fused.add(new Hit(hit.key(), scores.score(i), hit.shard()));
    }
    fused.sort(Comparator.comparingDouble((Hit hit) -> hit.score()).reversed()
        .thenComparing(hit -> hit.key().toString()));
    return fused;
  }

  /** The plan's windows fused, as {@link #fuse(Fusion, double, double, HybridCandidates.Windows)}. */
  static List<Hit> fuse(HybridQParser.Plan plan, HybridCandidates.Windows windows) {
    return fuse(plan.fusion(), plan.lexicalWeight(), plan.denseWeight(), windows);
  }

  /** A window as debug lines: {@code "1. KEY (SCORE)"}. */
  static List<String> asDebug(List<Hit> hits) {
    List<String> out = new ArrayList<>(hits.size());
    for (int i = 0; i < hits.size(); i++) {
      out.add(String.format(Locale.ROOT, "%d. %s (%s)", i + 1, hits.get(i).key(), hits.get(i).score()));
    }
    return out;
  }

  private static ScoreDoc[] number(List<Hit> hits, Map<String, Integer> numbers, List<Hit> numbered) {
    ScoreDoc[] docs = new ScoreDoc[hits.size()];
    for (int i = 0; i < docs.length; i++) {
      Hit hit = hits.get(i);
      int n = numbers.computeIfAbsent(hit.key().toString(), k -> {
        numbered.add(hit);
        return numbered.size() - 1;
      });
      docs[i] = new ScoreDoc(n, hit.score());
    }
    return docs;
  }
}
