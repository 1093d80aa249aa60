package dev.whetstone.filter;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.whetstone.batch.TrainingExample;
import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.filter.InBatchMask.Rule;
import dev.whetstone.model.Encoder;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.DenseIndex;
import dev.whetstone.retrieval.LabeledQuery;
import dev.whetstone.retrieval.QueryVectors;
import dev.whetstone.workspace.ModelCache;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * The false-negative rules on real SciFact cases scored by the real all-MiniLM-L6-v2. SciFact's
 * train queries 85 and 88 share both positives (7521113, 22406695); query 35 has positives 5152028
 * and 11705328, and 33409100, which is not labeled for it, is MiniLM's nearest document to it.
 */
public class FalseNegativeRulesTest {
  private static final String Q85 = "85";
  private static final String Q88 = "88";
  private static final String Q35 = "35";

  @org.junit.Rule public TemporaryFolder temp = new TemporaryFolder();

  private static Encoder encoder;
  private static Map<String, String> queries;
  private static Map<String, String> texts;
  private static DenseIndex index;
  private static QueryVectors queryVectors;
  private static EmbeddingScorer scorer;

  @BeforeClass
  public static void embedSomeSciFact() throws Exception {
    BeirDataset scifact = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"));
    queries = scifact.queries();
    List<BeirDocument> corpus = scifact.corpus();
    // the cases' documents and the first 60 of the corpus as background
    Set<String> wanted = Set.of("7521113", "22406695", "5152028", "11705328", "33409100");
    List<BeirDocument> docs = new ArrayList<>(corpus.subList(0, 60));
    corpus.stream().filter(d -> wanted.contains(d.id())).forEach(docs::add);
    BeirDocument copied = docs.stream().filter(d -> d.id().equals("7521113")).findFirst().orElseThrow();
    docs.add(new BeirDocument("7521113-copy", copied.title(), copied.text()));
    texts = new HashMap<>();
    docs.forEach(d -> texts.put(d.id(), d.embeddingText()));
    encoder = Encoder.load(ModelCache.ensure(Paths.get("target", "test-models"), "all-minilm-l6-v2"));
    index = new DenseIndex(docs.stream().map(BeirDocument::id).toList(),
        encoder.encodeDocuments(docs.stream().map(BeirDocument::embeddingText).toList()));
    queryVectors = new QueryVectors(encoder::encodeQueries);
    scorer = new EmbeddingScorer("all-minilm-l6-v2", index, queryVectors);
  }

  @AfterClass
  public static void close() {
    if (encoder != null) {
      encoder.close();
    }
  }

  private static LabeledQuery query(String id, String... positives) {
    return new LabeledQuery(id, queries.get(id), List.of(positives));
  }

  @Test
  public void rankWindowKeepsOnlyItsRanksAndPassesRandomNegatives() {
    LabeledQuery q = query(Q85, "7521113");
    List<Candidate> ranked = index.search(queryVectors.get(q.queryText()), 20);
    List<Candidate> candidates = new ArrayList<>(ranked);
    candidates.add(new Candidate("5152028", 0, 0f));
    List<Removal> removed = new ArrayList<>();
    List<Candidate> kept = new RankWindowFilter(3, 10).apply(q, "dense", candidates, removed::add);
    assertEquals(ranked.subList(2, 10), kept.subList(0, 8));
    assertEquals("the random negative has no rank and stays", "5152028", kept.get(8).docId());
    assertEquals(12, removed.size());
    assertTrue(removed.stream().allMatch(r -> r.rule().equals("window") && r.source().equals("dense")
        && (r.rank() < 3 || r.rank() > 10) && Float.isNaN(r.score())));
  }

  @Test
  public void marginRemovesTheUnlabeledPositiveButNotAnOffTopicDocument() {
    // 22406695 is hidden: only 7521113 is labeled for query 85
    LabeledQuery q = query(Q85, "7521113");
    float positive = scorer.score(q.queryText(), "7521113");
    float hidden = scorer.score(q.queryText(), "22406695");
    float offTopic = scorer.score(q.queryText(), "5152028");
    assertTrue(hidden + " > 0.95 x " + positive, hidden > 0.95f * positive);
    assertTrue(offTopic <= 0.95f * positive);
    List<Removal> removed = new ArrayList<>();
    List<Candidate> kept = new PositiveAwareMarginFilter(scorer, 0.05f).apply(q, "bm25",
        List.of(new Candidate("22406695", 2, 11.5f), new Candidate("5152028", 7, 3.2f)), removed::add);
    assertEquals(List.of(new Candidate("5152028", 7, 3.2f)), kept);
    assertEquals(1, removed.size());
    Removal r = removed.get(0);
    assertEquals("margin", r.rule());
    assertEquals("22406695", r.docId());
    assertEquals(11.5f, r.sourceScore(), 0f);
    assertEquals(hidden, r.score(), 0f);
    assertEquals(positive, r.positiveScore(), 0f);
    // the other way round the margin misses it: 7521113 scores below 0.95 x 22406695
    LabeledQuery other = query(Q85, "22406695");
    assertTrue(positive <= 0.95f * hidden);
    assertEquals(1, new PositiveAwareMarginFilter(scorer, 0.05f).apply(other, "bm25",
        List.of(new Candidate("7521113", 1, 12f)), x -> {}).size());
  }

  @Test
  public void marginKeepsAScoreOnTheBarAsSentenceTransformersDoes() {
    float bar = 0.8f * (1 - 0.05f);
    Map<String, Float> scores = Map.of("positive", 0.8f, "onTheBar", bar,
        "aboveTheBar", Math.nextUp(bar), "negativePositive", -0.2f, "withinTheMargin", -0.205f);
    RelevanceScorer fixed = new RelevanceScorer() {
      @Override
      public String name() {
        return "fixed";
      }

      @Override
      public float score(String queryText, String docId) {
        return scores.get(docId);
      }
    };
    PositiveAwareMarginFilter margin = new PositiveAwareMarginFilter(fixed, 0.05f);
    List<Candidate> candidates = List.of(new Candidate("onTheBar", 1, 2f),
        new Candidate("aboveTheBar", 2, 1f));
    assertEquals(List.of(candidates.get(0)), margin.apply(new LabeledQuery("q", "q",
        List.of("positive")), "bm25", candidates, x -> {}));
    // a negative positive score: the bar lies 5% below it (-0.21), not 5% above (-0.19)
    assertEquals(List.of(), margin.apply(new LabeledQuery("q", "q", List.of("negativePositive")),
        "bm25", List.of(new Candidate("withinTheMargin", 1, 1f)), x -> {}));
  }

  @Test
  public void chainCountsPerRuleAndAuditsEveryRemovalWithScores() throws Exception {
    LabeledQuery q = query(Q85, "7521113");
    List<Candidate> ranked = index.search(queryVectors.get(q.queryText()), 30);
    Path file = temp.getRoot().toPath().resolve("audit.jsonl");
    FilterChain chain;
    List<Candidate> kept;
    try (AuditLog audit = AuditLog.create(file, AuditLog.Mode.FULL)) {
      chain = new FilterChain(List.of(new RankWindowFilter(2, 30),
          new PositiveAwareMarginFilter(scorer, 0.05f)), scorer, audit);
      kept = chain.apply(q, "dense", ranked);
    }
    Map<String, Long> counts = chain.counts();
    assertEquals(1L, (long) counts.get("window"));
    assertTrue(counts.get("margin") >= 1);
    assertFalse(kept.stream().anyMatch(c -> c.docId().equals("22406695")));
    List<String> lines = Files.readAllLines(file);
    assertEquals(counts.get("window") + counts.get("margin"), lines.size());
    JsonObject first = JsonParser.parseString(lines.get(0)).getAsJsonObject();
    assertEquals("window", first.get("rule").getAsString());
    assertEquals(Q85, first.get("query_id").getAsString());
    assertEquals(1, first.get("rank").getAsInt());
    // the window decided on rank alone; the audit scorer filled in the scores
    assertEquals(scorer.score(q.queryText(), first.get("doc_id").getAsString()),
        first.get("score").getAsFloat(), 0f);
    assertEquals(scorer.score(q.queryText(), "7521113"), first.get("positive_score").getAsFloat(), 0f);
  }

  @Test
  public void inBatchMaskHidesOtherQueriesPositivesDuplicatesAndGuideFavourites() {
    // the copy differs from the original only in case and surrounding space
    Map<String, String> withCopy = new HashMap<>(texts);
    withCopy.put("7521113-copy", "  " + texts.get("7521113").toUpperCase(Locale.ROOT) + " ");
    List<TrainingExample> batch = List.of(
        new TrainingExample(Q85, queries.get(Q85), "7521113", List.of("7521113-copy")),
        new TrainingExample(Q88, queries.get(Q88), "22406695", List.of()),
        new TrainingExample(Q35, queries.get(Q35), "5152028", List.of("33409100")));
    Map<String, List<String>> positives = Map.of(Q85, List.of("7521113", "22406695"),
        Q88, List.of("7521113", "22406695"), Q35, List.of("5152028", "11705328"));
    List<String> columns = InBatchMask.columns(batch);
    assertEquals(List.of("7521113", "22406695", "5152028", "7521113-copy", "33409100"), columns);
    // a document two examples share is one column; each query targets its positive's column
    List<TrainingExample> sharing = List.of(batch.get(0),
        new TrainingExample(Q88, queries.get(Q88), "7521113", List.of("22406695")));
    assertEquals(List.of("7521113", "7521113-copy", "22406695"), InBatchMask.columns(sharing));
    assertArrayEquals(new int[] {0, 0},
        InBatchMask.targets(sharing, InBatchMask.columns(sharing)));

    InBatchMask all = new InBatchMask(positives, withCopy::get, scorer, EnumSet.allOf(Rule.class), null);
    boolean[][] mask = all.mask(batch, columns);
    for (int i = 0; i < batch.size(); i++) {
      assertFalse("a query's own positive is its target", mask[i][i]);
    }
    assertTrue("85 and 88 share positives", mask[0][1] && mask[1][0]);
    assertTrue("a copy of 85's positive", mask[0][3]);
    assertTrue("33409100 outscores 35's positive under MiniLM", mask[2][4]);
    assertFalse("query 35 is about vitamin B12, not macrophages", mask[2][0] || mask[2][1]);
    Map<Rule, Long> counts = all.counts();
    assertTrue(counts.get(Rule.LABELED_POSITIVE) >= 2);
    assertTrue(counts.get(Rule.GUIDE) >= 1);

    InBatchMask labelsOnly = new InBatchMask(positives, withCopy::get, null,
        EnumSet.of(Rule.LABELED_POSITIVE), null);
    boolean[][] fewer = labelsOnly.mask(batch, columns);
    assertTrue(fewer[0][1]);
    assertFalse("duplicate rule off", fewer[0][3]);
    assertFalse("guide rule off", fewer[2][4]);
    assertEquals(0L, (long) labelsOnly.counts().get(Rule.GUIDE));
  }
}
