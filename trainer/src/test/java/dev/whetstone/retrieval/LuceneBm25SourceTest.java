package dev.whetstone.retrieval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotEquals;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.workspace.BeirConfigSet;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.lucene.search.similarities.BM25Similarity;
import org.junit.Rule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/** The trainer's own BM25 index over SciFact scores like the configset's collection in Solr. */
public class LuceneBm25SourceTest {
  @Rule public TemporaryFolder temp = new TemporaryFolder();

  @Test
  public void sciFactTestNdcgMatchesSolrsBm25AndIndexIsReused() throws Exception {
    BeirDataset scifact = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"));
    List<BeirDocument> corpus = scifact.corpus();
    Qrels qrels = scifact.qrels("test");
    Map<String, String> queries = scifact.queries();
    Path indexDir = temp.getRoot().toPath().resolve("bm25");
    Map<String, List<String>> run = new LinkedHashMap<>();
    try (LuceneBm25Source bm25 = LuceneBm25Source.open(indexDir, corpus, BeirConfigSet.locate())) {
      assertEquals(corpus.size(), bm25.size());
      for (String id : qrels.queryIds()) {
        run.put(id, bm25.candidates(queries.get(id), 100).stream().map(Candidate::docId).toList());
      }
    }
    // docs/benchmarks.md: BM25 through Solr on the configset, 300 test queries
    Evaluation e = Evaluation.of(qrels, run);
    assertEquals(0.6647, e.ndcg10(), 0.00005);
    assertEquals(0.9076, e.recall100(), 0.00005);

    long built = Files.getLastModifiedTime(indexDir.resolve("segments_1")).toMillis();
    try (LuceneBm25Source again = LuceneBm25Source.open(indexDir, corpus, BeirConfigSet.locate())) {
      assertTrue("reused: no new commit", Files.exists(indexDir.resolve("segments_1")));
      assertEquals(built, Files.getLastModifiedTime(indexDir.resolve("segments_1")).toMillis());
    }
    List<BeirDocument> changed = corpus.subList(0, 100);
    try (LuceneBm25Source rebuilt = LuceneBm25Source.open(indexDir, changed, BeirConfigSet.locate())) {
      assertEquals("a different corpus rebuilds the index", 100, rebuilt.size());
    }
  }

  @Test
  public void similarityIsTheConfigsetsBm25() throws Exception {
    BM25Similarity similarity = (BM25Similarity) ConfigSetSchema.load(BeirConfigSet.locate()).getSimilarity();
    assertEquals(0.9f, similarity.getK1(), 0f);
    assertEquals(0.4f, similarity.getB(), 0f);
    assertNotEquals(new BM25Similarity().getK1(), similarity.getK1(), 0f);
  }
}
