package dev.whetstone.filter;

import dev.whetstone.batch.TextKey;
import dev.whetstone.batch.TrainingExample;
import java.util.Collection;
import java.util.EnumMap;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Which batch documents must not act as negatives for which batch query (in-batch false
 * negatives). {@code mask[i][j]} true = batch document j must NOT act as a negative for query i:
 * it's one of query i's labeled positives (other than its own target column), a duplicate text of
 * its positive, or a document a guide model scores above query i's positive (GISTEmbed, Solatorio
 * 2024). The loss drops masked logits (sets them to -inf).
 *
 * <p>Columns: {@link #columns} lays a batch out as its distinct documents, the examples' positives
 * first in example order, then their hard negatives; a document two examples share is one column.
 * A query's target is the column of its positive ({@link #target}); many-positive data shares
 * documents between queries all the time, and the rules above, not the batch layout, keep a
 * query's positives out of its negatives.
 */
public final class InBatchMask {
  /** The rules, each switchable; a masked entry is counted under the first rule that applies. */
  public enum Rule {
    LABELED_POSITIVE("inbatch-positive"),
    DUPLICATE_TEXT("inbatch-duplicate"),
    GUIDE("inbatch-guide");

    private final String auditName;

    Rule(String auditName) {
      this.auditName = auditName;
    }

    public String auditName() {
      return auditName;
    }
  }

  private final Map<String, ? extends Collection<String>> positivesByQuery;
  private final Function<String, String> docText;
  private final RelevanceScorer guide;
  private final Set<Rule> rules;
  private final Consumer<Removal> sink;
  private final Map<Rule, Long> counts = new EnumMap<>(Rule.class);

  /**
   * @param positivesByQuery query id → all its labeled positives (beyond the examples' own)
   * @param docText document id → text
   * @param guide the guide model; null unless {@link Rule#GUIDE} is on
   * @param sink receives each masked (query, document) as a {@link Removal}; null for none
   */
  public InBatchMask(Map<String, ? extends Collection<String>> positivesByQuery,
      Function<String, String> docText, RelevanceScorer guide, Set<Rule> rules,
      Consumer<Removal> sink) {
    if (rules.contains(Rule.GUIDE) && guide == null) {
      throw new IllegalArgumentException("the guide rule needs a guide model");
    }
    this.positivesByQuery = positivesByQuery;
    this.docText = docText;
    this.guide = guide;
    this.rules = rules.isEmpty() ? EnumSet.noneOf(Rule.class) : EnumSet.copyOf(rules);
    this.sink = sink == null ? removal -> {} : sink;
    for (Rule rule : Rule.values()) {
      counts.put(rule, 0L);
    }
  }

  /** The batch's distinct documents: positives in example order, then hard negatives. */
  public static List<String> columns(List<TrainingExample> batch) {
    Set<String> columns = new LinkedHashSet<>();
    batch.forEach(example -> columns.add(example.positiveId()));
    batch.forEach(example -> columns.addAll(example.negativeIds()));
    return List.copyOf(columns);
  }

  /** The column of each example's positive: the target of its query in the loss. */
  public static int[] targets(List<TrainingExample> batch, List<String> columns) {
    int[] targets = new int[batch.size()];
    for (int i = 0; i < targets.length; i++) {
      targets[i] = columns.indexOf(batch.get(i).positiveId());
      if (targets[i] < 0) {
        throw new IllegalArgumentException("example " + i + "'s positive "
            + batch.get(i).positiveId() + " is not among the batch's columns");
      }
    }
    return targets;
  }

  /**
   * {@code mask[i][j]}: document {@code columns.get(j)} must not be a negative for query i. A
   * query's own target column is never masked.
   */
  public synchronized boolean[][] mask(List<TrainingExample> batch, List<String> columns) {
    int[] targets = targets(batch, columns);
    boolean[][] mask = new boolean[batch.size()][columns.size()];
    for (int i = 0; i < batch.size(); i++) {
      TrainingExample example = batch.get(i);
      Set<String> positives = new HashSet<>();
      positives.add(example.positiveId());
      Collection<String> labeled = positivesByQuery.get(example.queryId());
      if (labeled != null) {
        positives.addAll(labeled);
      }
      Set<String> positiveTexts = new HashSet<>();
      for (String id : positives) {
        String text = docText.apply(id);
        if (text != null) {
          positiveTexts.add(TextKey.of(text));
        }
      }
      float positiveScore = rules.contains(Rule.GUIDE)
          ? guide.score(example.queryText(), example.positiveId()) : Float.NaN;
      for (int j = 0; j < columns.size(); j++) {
        if (j == targets[i]) {
          continue;
        }
        String doc = columns.get(j);
        Rule rule = null;
        float score = Float.NaN;
        if (rules.contains(Rule.LABELED_POSITIVE) && positives.contains(doc)) {
          rule = Rule.LABELED_POSITIVE;
        } else if (rules.contains(Rule.DUPLICATE_TEXT) && docText.apply(doc) != null
            && positiveTexts.contains(TextKey.of(docText.apply(doc)))) {
          rule = Rule.DUPLICATE_TEXT;
        } else if (rules.contains(Rule.GUIDE)
            && (score = guide.score(example.queryText(), doc)) > positiveScore) {
          rule = Rule.GUIDE;
        }
        if (rule != null) {
          mask[i][j] = true;
          counts.merge(rule, 1L, Long::sum);
          sink.accept(new Removal(rule.auditName(), example.queryId(), example.queryText(), "batch",
              doc, j, Float.NaN, guide == null ? null : guide.name(), score, positiveScore));
        }
      }
    }
    return mask;
  }

  /** Masked (query, document) entries per rule so far. */
  public synchronized Map<Rule, Long> counts() {
    return new EnumMap<>(counts);
  }
}
