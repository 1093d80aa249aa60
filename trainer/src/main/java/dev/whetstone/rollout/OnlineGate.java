package dev.whetstone.rollout;

import dev.whetstone.console.ProgressBar;
import dev.whetstone.data.Qrels;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.eval.PairedComparison;
import dev.whetstone.model.Encoder;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrDocument;

/**
 * Judged queries sent as real requests to the live collection, once as users are served now
 * ({@code {!embed}}: the collection embeds the text with its current query tower) and once with
 * the candidate's query vector ({@code {!knn}}: the text embedded here by the candidate model
 * directory with the encoder class Solr runs). The candidate is refused when it is worse with the
 * given confidence (a one-sided paired t-test on per-query nDCG@10), or when its mean nDCG@10 is
 * lower by more than the allowed regression, significant or not.
 */
public final class OnlineGate {
  /** Hits per query: enough for Recall@100. */
  static final int DEPTH = 100;

  private final SolrClient client;
  private final String collection;
  private final String candidateCollection;
  private final String field;
  private final String model;
  private final PrintStream out;

  /**
   * @param field the vector field, e.g. {@code vector}
   * @param model the model's name in the configset's registry, e.g. {@code minilm}
   */
  public OnlineGate(SolrClient client, String collection, String field, String model,
      PrintStream out) {
    this(client, collection, collection, field, model, out);
  }

  /**
   * A gate whose candidate requests go to {@code candidateCollection}: a new collection holding
   * the candidate document model's vectors (full mode), the current ones to the serving one.
   */
  public OnlineGate(SolrClient client, String collection, String candidateCollection, String field,
      String model, PrintStream out) {
    this.client = client;
    this.collection = collection;
    this.candidateCollection = candidateCollection;
    this.field = field;
    this.model = model;
    this.out = out;
  }

  /**
   * @param comparison the candidate's per-query nDCG@10 minus the current tower's
   * @param pWorse one-sided p-value of "the candidate is worse"
   */
  public record Verdict(Evaluation current, Evaluation candidate, PairedComparison comparison,
      double pWorse, boolean passed, String reason, double seconds) {
    public DeploymentLog.Gate summary() {
      return new DeploymentLog.Gate(current.ndcg10(), candidate.ndcg10(),
          comparison.meanDifference(), pWorse, comparison.queries());
    }
  }

  /**
   * Runs the judged queries of {@code qrels} (texts from {@code queries}) both ways.
   *
   * @param confidence refuse when the candidate is worse with this one-sided confidence
   * @param maxRegression refuse when mean nDCG@10 drops by more than this
   */
  public Verdict run(Encoder candidate, Map<String, String> queries, Qrels qrels,
      double confidence, double maxRegression) throws IOException {
    long start = System.nanoTime();
    List<String> ids = new ArrayList<>(qrels.queryIds());
    List<String> texts = new ArrayList<>();
    for (String id : ids) {
      String text = queries.get(id);
      if (text == null) {
        throw new IllegalArgumentException("query '" + id + "' is judged but not in the queries");
      }
      texts.add(text);
    }
    out.printf("Online gate: %d judged queries, current model ({!embed} on '%s') and "
        + "candidate ({!knn} on '%s' with vectors embedded here)%n", ids.size(), collection,
        candidateCollection);
    float[][] vectors = candidate.encodeQueries(texts);
    Map<String, List<String>> currentRun = new LinkedHashMap<>();
    Map<String, List<String>> candidateRun = new LinkedHashMap<>();
    ProgressBar progress = new ProgressBar(out, "queries", ids.size());
    for (int i = 0; i < ids.size(); i++) {
      SolrQuery current = new SolrQuery("{!embed f=" + field + " model=" + model + " topK=" + DEPTH
          + " v=$qq}");
      current.set("qq", texts.get(i));
      currentRun.put(ids.get(i), ids(collection, current, ids.get(i)));
      candidateRun.put(ids.get(i), ids(candidateCollection, new SolrQuery("{!knn f=" + field
          + " topK=" + DEPTH + "}" + Arrays.toString(vectors[i])), ids.get(i)));
      progress.update(i + 1);
    }
    Evaluation currentEval = Evaluation.of(qrels, currentRun);
    Evaluation candidateEval = Evaluation.of(qrels, candidateRun);
    PairedComparison comparison = PairedComparison.ndcg10(qrels, candidateRun, currentRun);
    PairedComparison worse = PairedComparison.ndcg10(qrels, currentRun, candidateRun);
    String reason;
    boolean passed = false;
    if (worse.better(confidence)) {
      reason = String.format(Locale.ROOT, "the candidate is worse with confidence %.3f "
          + "(p %.4f <= %.4f)", 1 - worse.pValue(), worse.pValue(), 1 - confidence);
    } else if (comparison.meanDifference() < -maxRegression) {
      reason = String.format(Locale.ROOT, "mean nDCG@10 drops by %.4f, more than --max-regression "
          + "%.4f", -comparison.meanDifference(), maxRegression);
    } else {
      passed = true;
      reason = String.format(Locale.ROOT, "not worse with confidence %.2f (p %.4f) and within "
          + "--max-regression %.4f", confidence, worse.pValue(), maxRegression);
    }
    double seconds = (System.nanoTime() - start) / 1e9;
    Verdict verdict = new Verdict(currentEval, candidateEval, comparison, worse.pValue(), passed,
        reason, seconds);
    print(verdict);
    return verdict;
  }

  private void print(Verdict v) {
    out.printf(Locale.ROOT, "%n| tower     | nDCG@10 | MRR@10 | Recall@100 |%n"
        + "|-----------|---------|--------|------------|%n");
    row("current", v.current());
    row("candidate", v.candidate());
    out.printf(Locale.ROOT, "delta nDCG@10 %+.4f over %d queries, p(candidate worse) %.4f: %s "
        + "(%s) in %.1f s%n%n", v.comparison().meanDifference(), v.comparison().queries(),
        v.pWorse(), v.passed() ? "PASSED" : "REFUSED", v.reason(), v.seconds());
  }

  private void row(String name, Evaluation e) {
    out.printf(Locale.ROOT, "| %-9s | %.4f  | %.4f | %.4f     |%n", name, e.ndcg10(), e.mrr10(),
        e.recall100());
  }

  private List<String> ids(String collection, SolrQuery query, String queryId) throws IOException {
    query.setFields("id");
    query.setRows(DEPTH);
    List<String> ids = new ArrayList<>();
    try {
      for (SolrDocument doc : client.query(collection, query).getResults()) {
        ids.add(doc.getFirstValue("id").toString());
      }
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException("online gate: query '" + queryId + "' on collection '" + collection
          + "' failed: " + e.getMessage(), e);
    }
    return ids;
  }
}
