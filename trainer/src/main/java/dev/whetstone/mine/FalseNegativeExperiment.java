package dev.whetstone.mine;

import dev.whetstone.console.ProgressBar;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.filter.NegativeFilter;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.LabeledQuery;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.Set;

/**
 * Measures false-negative correction: hides a share of the labeled positives, mines with the rest
 * as labels, and counts how many hidden positives (stand-ins for the unlabeled positives of real
 * judgments) end up as negatives under each rule setting. Retrieval runs once; each round hides
 * another seeded sample. A query left with no visible positive leaves training, as it would.
 */
public final class FalseNegativeExperiment {
  /** A named set of rules (none, one, or all). */
  public record Setting(String name, List<NegativeFilter> filters) {}

  /**
   * Totals of one setting over all rounds.
   *
   * @param queries training queries mined (with at least one visible positive), summed over rounds
   * @param hidden hidden positives of those queries
   * @param hiddenAsNegatives hidden positives that were mined as negatives of their query
   * @param negatives negatives mined
   * @param removed removals per rule
   * @param hiddenRemoved per rule, the hidden positives it removed from at least one source
   */
  public record Row(String setting, long queries, long hidden, long hiddenAsNegatives,
      long negatives, Map<String, Long> removed, Map<String, Long> hiddenRemoved) {
    public double hiddenShare() {
      return hidden == 0 ? 0 : (double) hiddenAsNegatives / hidden;
    }
  }

  private final HardNegativeMiner miner;
  private final List<LabeledQuery> queries;
  private final Map<String, Map<String, List<Candidate>>> retrieved = new HashMap<>();
  private long hiddenInDroppedQueries;
  private long hiddenTotal;

  /** @param queries the training queries with all their labeled positives */
  public FalseNegativeExperiment(HardNegativeMiner miner, List<LabeledQuery> queries) {
    this.miner = miner;
    this.queries = List.copyOf(queries);
  }

  /** Retrieves every query's candidates once (all settings and rounds reuse them). */
  public void retrieve(PrintStream progress) throws IOException {
    ProgressBar bar = progress == null ? null : new ProgressBar(progress, "queries", queries.size());
    for (LabeledQuery query : queries) {
      retrieved.put(query.queryId(), miner.retrieve(query));
      if (bar != null) {
        bar.update(retrieved.size());
      }
    }
  }

  /** One row per setting, totals over {@code rounds} hidings of {@code fraction} of the positives. */
  public List<Row> run(List<Setting> settings, double fraction, long seed, int rounds) {
    if (!(fraction > 0 && fraction < 1)) {
      throw new IllegalArgumentException("the hidden share must be in (0, 1), got " + fraction);
    }
    if (retrieved.size() != queries.size()) {
      throw new IllegalStateException("call retrieve first");
    }
    List<Accumulator> totals = new ArrayList<>();
    settings.forEach(s -> totals.add(new Accumulator(s)));
    hiddenInDroppedQueries = 0;
    hiddenTotal = 0;
    for (int round = 0; round < rounds; round++) {
      Map<String, Set<String>> hidden = hide(fraction, new Random(seed + round));
      for (Accumulator total : totals) {
        total.round(hidden);
      }
    }
    return totals.stream().map(Accumulator::row).toList();
  }

  /** Hidden positives over all rounds, including those of queries that left training. */
  public long hiddenTotal() {
    return hiddenTotal;
  }

  /** Hidden positives whose query had no visible positive left, so it was not mined. */
  public long hiddenInDroppedQueries() {
    return hiddenInDroppedQueries;
  }

  private Map<String, Set<String>> hide(double fraction, Random random) {
    List<String[]> pairs = new ArrayList<>();
    for (LabeledQuery query : queries) {
      query.positiveIds().forEach(id -> pairs.add(new String[] {query.queryId(), id}));
    }
    Collections.shuffle(pairs, random);
    Map<String, Set<String>> hidden = new HashMap<>();
    int count = (int) Math.round(fraction * pairs.size());
    for (String[] pair : pairs.subList(0, count)) {
      hidden.computeIfAbsent(pair[0], q -> new HashSet<>()).add(pair[1]);
    }
    hiddenTotal += count;
    for (LabeledQuery query : queries) {
      if (hidden.getOrDefault(query.queryId(), Set.of()).size() == query.positiveIds().size()) {
        hiddenInDroppedQueries += query.positiveIds().size();
      }
    }
    return hidden;
  }

  private final class Accumulator {
    private final Setting setting;
    private long queryCount;
    private long hiddenCount;
    private long hiddenAsNegatives;
    private long negatives;
    private final Map<String, Long> removed = new LinkedHashMap<>();
    private final Map<String, Long> hiddenRemoved = new LinkedHashMap<>();

    Accumulator(Setting setting) {
      this.setting = setting;
      for (NegativeFilter filter : setting.filters()) {
        removed.put(filter.rule(), 0L);
        hiddenRemoved.put(filter.rule(), 0L);
      }
    }

    void round(Map<String, Set<String>> hidden) {
      Map<String, Set<String>> hiddenHitByRule = new HashMap<>();
      FilterChain chain = new FilterChain(setting.filters(), null, removal -> {
        if (hidden.getOrDefault(removal.queryId(), Set.of()).contains(removal.docId())) {
          hiddenHitByRule.computeIfAbsent(removal.rule(), r -> new HashSet<>())
              .add(removal.queryId() + '\0' + removal.docId());
        }
      });
      for (LabeledQuery query : queries) {
        Set<String> hiddenHere = hidden.getOrDefault(query.queryId(), Set.of());
        List<String> visible = new ArrayList<>(query.positiveIds());
        visible.removeAll(hiddenHere);
        if (visible.isEmpty()) {
          continue;
        }
        LabeledQuery training = new LabeledQuery(query.queryId(), query.queryText(), visible);
        MinedQuery mined = miner.select(training, retrieved.get(query.queryId()), chain);
        queryCount++;
        hiddenCount += hiddenHere.size();
        negatives += mined.negatives().size();
        for (Candidate negative : mined.negatives()) {
          if (hiddenHere.contains(negative.docId())) {
            hiddenAsNegatives++;
          }
        }
      }
      chain.counts().forEach((rule, n) -> removed.merge(rule, n, Long::sum));
      hiddenHitByRule.forEach((rule, pairs) -> hiddenRemoved.merge(rule, (long) pairs.size(), Long::sum));
    }

    Row row() {
      return new Row(setting.name(), queryCount, hiddenCount, hiddenAsNegatives, negatives,
          removed, hiddenRemoved);
    }
  }

  /** The rows as a Markdown table; {@code rules} names the rule columns in order. */
  public static String markdown(List<Row> rows, List<String> rules) {
    StringBuilder table = new StringBuilder(
        "| rules | hidden positives mined as negatives | share | negatives per query |");
    StringBuilder line = new StringBuilder("|---|---:|---:|---:|");
    for (String rule : rules) {
      table.append(" removals by ").append(rule).append(" (hidden positives removed) |");
      line.append("---:|");
    }
    table.append('\n').append(line).append('\n');
    for (Row row : rows) {
      table.append(String.format(Locale.ROOT, "| %s | %d / %d | %.1f%% | %.1f |", row.setting(),
          row.hiddenAsNegatives(), row.hidden(), 100 * row.hiddenShare(),
          row.queries() == 0 ? 0.0 : (double) row.negatives() / row.queries()));
      for (String rule : rules) {
        Long n = row.removed().get(rule);
        table.append(n == null ? " - |"
            : String.format(Locale.ROOT, " %d (%d) |", n, row.hiddenRemoved().get(rule)));
      }
      table.append('\n');
    }
    return table.toString();
  }
}
