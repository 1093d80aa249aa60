package dev.whetstone.mine;

import dev.whetstone.console.ProgressBar;
import dev.whetstone.data.Seeds;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.LabeledQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Mines negatives for training queries: each source's top {@code depth} documents minus the
 * query's labeled positives, through the false-negative rules per source, interleaved by rank
 * (each document once, kept with the first source that ranked it), then optionally random corpus
 * documents (STAR's mix of hard and random negatives).
 *
 * <p>Retrieval and selection are separate steps so that one retrieval can be filtered under many
 * rule settings ({@link #retrieve}, {@link #select}).
 */
public final class HardNegativeMiner {
  private final List<CandidateSource> sources;
  private final int depth;
  private final FilterChain chain;
  private List<String> corpusIds = List.of();
  private int randomNegatives;
  private long seed;

  /**
   * @param depth candidates per source, counted before the positives are excluded
   * @param chain the false-negative rules
   */
  public HardNegativeMiner(List<CandidateSource> sources, int depth, FilterChain chain) {
    if (depth < 1) {
      throw new IllegalArgumentException("depth must be >= 1, got " + depth);
    }
    this.sources = List.copyOf(sources);
    this.depth = depth;
    this.chain = chain;
    Set<String> names = new HashSet<>();
    for (CandidateSource source : sources) {
      if (!names.add(source.name())) {
        throw new IllegalArgumentException("two candidate sources are named '" + source.name() + "'");
      }
    }
  }

  /** Adds {@code count} random corpus documents per query, drawn repeatably from {@code seed}. */
  public HardNegativeMiner withRandomNegatives(List<String> corpusIds, int count, long seed) {
    if (count < 0) {
      throw new IllegalArgumentException("random negatives must be >= 0, got " + count);
    }
    this.corpusIds = List.copyOf(corpusIds);
    this.randomNegatives = count;
    this.seed = seed;
    return this;
  }

  public int depth() {
    return depth;
  }

  /** Mines every query; draws a progress bar on {@code progress} unless it is null. */
  public List<MinedQuery> mine(List<LabeledQuery> queries, PrintStream progress) throws IOException {
    ProgressBar bar = progress == null ? null : new ProgressBar(progress, "queries", queries.size());
    List<MinedQuery> mined = new ArrayList<>(queries.size());
    for (LabeledQuery query : queries) {
      mined.add(mine(query));
      if (bar != null) {
        bar.update(mined.size());
      }
    }
    return mined;
  }

  public MinedQuery mine(LabeledQuery query) throws IOException {
    return select(query, retrieve(query), chain);
  }

  /** Source name → its top {@code depth} for the query, labeled positives still in. */
  public Map<String, List<Candidate>> retrieve(LabeledQuery query) throws IOException {
    Map<String, List<Candidate>> retrieved = new LinkedHashMap<>();
    for (CandidateSource source : sources) {
      retrieved.put(source.name(), source.candidates(query.queryText(), depth));
    }
    return retrieved;
  }

  /** The negatives of a query from retrieved rankings, under the given rules. */
  public MinedQuery select(LabeledQuery query, Map<String, List<Candidate>> retrieved,
      FilterChain rules) {
    Set<String> positives = new HashSet<>(query.positiveIds());
    List<List<Candidate>> perSource = new ArrayList<>();
    for (Map.Entry<String, List<Candidate>> ranking : retrieved.entrySet()) {
      List<Candidate> candidates = new ArrayList<>();
      for (Candidate c : ranking.getValue()) {
        if (c.rank() <= depth && !positives.contains(c.docId())) {
          candidates.add(c);
        }
      }
      perSource.add(rules.apply(query, ranking.getKey(), candidates));
    }
    Set<String> taken = new HashSet<>();
    List<Candidate> negatives = new ArrayList<>();
    int longest = perSource.stream().mapToInt(List::size).max().orElse(0);
    for (int i = 0; i < longest; i++) {
      for (List<Candidate> candidates : perSource) {
        if (i < candidates.size() && taken.add(candidates.get(i).docId())) {
          negatives.add(candidates.get(i));
        }
      }
    }
    addRandom(query, positives, taken, negatives);
    return new MinedQuery(query.queryId(), query.queryText(), query.positiveIds(), negatives);
  }

  private void addRandom(LabeledQuery query, Set<String> positives, Set<String> taken,
      List<Candidate> negatives) {
    int wanted = Math.min(randomNegatives, corpusIds.size() - positives.size() - taken.size());
    Random random = Seeds.random(seed, query.queryId().hashCode());
    for (int added = 0; added < wanted; ) {
      String id = corpusIds.get(random.nextInt(corpusIds.size()));
      if (!positives.contains(id) && taken.add(id)) {
        negatives.add(new Candidate(id, 0, 0f));
        added++;
      }
    }
  }
}
