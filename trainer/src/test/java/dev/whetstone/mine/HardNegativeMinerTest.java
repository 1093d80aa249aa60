package dev.whetstone.mine;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.MalformedDataException;
import dev.whetstone.filter.FilterChain;
import dev.whetstone.filter.RankWindowFilter;
import dev.whetstone.retrieval.Candidate;
import dev.whetstone.retrieval.CandidateSource;
import dev.whetstone.retrieval.LabeledQuery;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** Mining logic over fixed rankings of SciFact ids (query 85: positives 7521113 and 22406695). */
public class HardNegativeMinerTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  /** A source that answers every query with the same ranking. */
  private record Fixed(String name, List<String> ranking) implements CandidateSource {
    @Override
    public List<Candidate> candidates(String queryText, int depth) {
      List<Candidate> candidates = new ArrayList<>();
      for (int i = 0; i < Math.min(depth, ranking.size()); i++) {
        candidates.add(new Candidate(ranking.get(i), i + 1, 10f - i));
      }
      return candidates;
    }
  }

  private static final LabeledQuery Q85 = new LabeledQuery("85",
      "Adult tissue-resident macrophages are seeded before birth.", List.of("7521113"));
  private static final CandidateSource BM25 = new Fixed("bm25",
      List.of("7521113", "22406695", "24282306", "12827098", "5152028"));
  private static final CandidateSource DENSE = new Fixed("dense",
      List.of("22406695", "25068298", "24282306", "7521113", "33409100"));
  private static final List<String> CORPUS = List.of("7521113", "22406695", "24282306",
      "12827098", "5152028", "25068298", "33409100", "11705328", "13899137", "13901073");

  private static List<String> ids(MinedQuery mined) {
    return mined.negatives().stream().map(Candidate::docId).toList();
  }

  @Test
  public void interleavesSourcesByRankWithoutPositivesOrRepeats() throws IOException {
    MinedQuery mined = new HardNegativeMiner(List.of(BM25, DENSE), 5, FilterChain.none()).mine(Q85);
    assertEquals(List.of("22406695", "24282306", "25068298", "12827098", "5152028", "33409100"),
        ids(mined));
    assertEquals("kept with the first source's rank", new Candidate("22406695", 2, 9f),
        mined.negatives().get(0));
    assertEquals(List.of("7521113"), mined.positiveIds());
  }

  @Test
  public void windowAppliesPerSourceAndDepthCountsPositives() throws IOException {
    FilterChain chain = new FilterChain(List.of(new RankWindowFilter(3, 4)), null, null);
    MinedQuery mined = new HardNegativeMiner(List.of(BM25, DENSE), 4, chain).mine(Q85);
    // bm25 ranks 3-4: 24282306, 12827098; dense ranks 3-4: 24282306 (taken), 7521113 (positive)
    assertEquals(List.of("24282306", "12827098"), ids(mined));
    assertEquals("bm25 ranks 2 (22406695); dense ranks 1, 2", 3L, (long) chain.counts().get("window"));
  }

  @Test
  public void randomNegativesAvoidPositivesAndRepeatWithTheSeed() throws IOException {
    HardNegativeMiner miner = new HardNegativeMiner(List.of(BM25), 2, FilterChain.none())
        .withRandomNegatives(CORPUS, 4, 5);
    MinedQuery mined = miner.mine(Q85);
    List<Candidate> random = mined.negatives().subList(1, 5);
    assertEquals(List.of("22406695"), ids(mined).subList(0, 1));
    assertTrue(random.stream().allMatch(c -> c.rank() == 0));
    assertFalse(ids(mined).contains("7521113"));
    assertEquals(5, ids(mined).stream().distinct().count());
    assertEquals(mined, miner.mine(Q85));
  }

  @Test
  public void experimentCountsHiddenPositivesThatBecomeNegatives() throws IOException {
    // query 85 with both positives; hiding half of two positives hides exactly one
    LabeledQuery full = new LabeledQuery("85", Q85.queryText(), List.of("7521113", "22406695"));
    HardNegativeMiner miner = new HardNegativeMiner(List.of(BM25), 5, FilterChain.none());
    FalseNegativeExperiment experiment = new FalseNegativeExperiment(miner, List.of(full));
    experiment.retrieve(null);
    List<FalseNegativeExperiment.Row> rows = experiment.run(List.of(
        new FalseNegativeExperiment.Setting("none", List.of()),
        new FalseNegativeExperiment.Setting("window", List.of(new RankWindowFilter(3, 5)))),
        0.5, 1, 4);
    // both positives rank in bm25's top 2: the hidden one is always mined without rules
    assertEquals(4, rows.get(0).hidden());
    assertEquals(4, rows.get(0).hiddenAsNegatives());
    assertEquals(1.0, rows.get(0).hiddenShare(), 0);
    assertEquals("the window skips ranks 1-2", 0, rows.get(1).hiddenAsNegatives());
    assertEquals(4L, (long) rows.get(1).hiddenRemoved().get("window"));
    assertEquals(0, experiment.hiddenInDroppedQueries());
  }

  @Test
  public void negativesFileRoundTripsAndNamesFileAndLineOfBadInput() throws IOException {
    MinedQuery mined = new HardNegativeMiner(List.of(BM25, DENSE), 5, FilterChain.none()).mine(Q85);
    Path file = temp.getRoot().toPath().resolve("negatives.jsonl");
    NegativesFile.write(file, List.of(mined, mined));
    assertEquals(List.of(mined, mined), NegativesFile.read(file));

    Files.writeString(file, Files.readString(file)
        + "{\"query_id\": \"9\", \"query\": \"q\", \"positives\": [\"a\"], \"negatives\": [{\"id\": \"b\", \"rank\": \"x\", \"score\": 1}]}\n");
    MalformedDataException e = assertThrows(MalformedDataException.class, () -> NegativesFile.read(file));
    assertTrue(e.getMessage(), e.getMessage().startsWith(file + ":3: field 'rank'"));
    Files.writeString(file, "{\"query_id\": \"9\", \"query\": \"q\", \"negatives\": []}\n");
    e = assertThrows(MalformedDataException.class, () -> NegativesFile.read(file));
    assertTrue(e.getMessage(), e.getMessage().startsWith(file + ":1: field 'positives'"));
  }

  @Test
  public void twoSourcesWithOneNameAreRefused() {
    assertThrows(IllegalArgumentException.class,
        () -> new HardNegativeMiner(List.of(BM25, BM25), 5, FilterChain.none()));
    assertEquals(Map.of(), FilterChain.none().counts());
  }
}
