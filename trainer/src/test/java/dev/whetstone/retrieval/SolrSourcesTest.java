package dev.whetstone.retrieval;

import static org.junit.Assert.assertArrayEquals;

import java.io.PrintStream;

import java.io.OutputStream;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.data.SolrCorpus;
import dev.whetstone.demo.BeirCloud;
import dev.whetstone.workspace.BeirConfigSet;
import java.io.IOException;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.common.SolrInputDocument;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.ClassRule;
import org.junit.Test;
import org.junit.rules.TemporaryFolder;

/**
 * Against a real SolrCloud with the beir configset: the corpus read back from a collection, and
 * the collection's BM25 ranking equal to the trainer's own Lucene BM25 over the same documents.
 */
public class SolrSourcesTest {
  private static final String COLLECTION = "scifact_slice";
  private static final int DOCS = 400;

  @ClassRule public static TemporaryFolder temp = new TemporaryFolder();

  private static BeirCloud cloud;
  private static List<BeirDocument> slice;
  private static Map<String, String> queries;
  private static Qrels train;

  @BeforeClass
  public static void indexSlice() throws Exception {
    BeirDataset scifact = BeirDataset.open(Paths.get(System.getProperty("whetstone.data"), "scifact"));
    slice = scifact.corpus().subList(0, DOCS);
    queries = scifact.queries();
    train = scifact.qrels("train");
    Path models = Paths.get("target", "test-models").toAbsolutePath();
    cloud = BeirCloud.start(1, 0, models, "all-minilm-l6-v2", BeirConfigSet.locate());
    cloud.createCollection(COLLECTION, 1, 1);
    // Documents arrive with a vector, which the processor keeps, so the slice is not embedded
    // (the cloud tests cover embedding): document i's is the unit vector of axis i % 384.
    List<SolrInputDocument> docs = new ArrayList<>();
    for (BeirDocument doc : slice) {
      float[] unit = unitVector(slice.indexOf(doc));
      SolrInputDocument solr = new SolrInputDocument();
      solr.addField("id", doc.id());
      if (!doc.title().isEmpty()) {
        solr.addField("title", doc.title());
      }
      solr.addField("text", doc.text());
      solr.addField("vector", toList(unit));
      docs.add(solr);
    }
    SolrClient client = cloud.cloud().client();
    client.add(COLLECTION, docs);
    client.commit(COLLECTION);
  }

  @AfterClass
  public static void stop() throws Exception {
    if (cloud != null) {
      cloud.close();
    }
  }

  @Test
  public void readsTheCollectionsCorpusPageByPage() throws IOException {
    List<long[]> pages = new ArrayList<>();
    List<BeirDocument> read = new SolrCorpus(cloud.cloud().client(), COLLECTION).withPageSize(150)
        .read((done, total) -> pages.add(new long[] {done, total}));
    List<BeirDocument> expected = new ArrayList<>(slice);
    expected.sort(Comparator.comparing(BeirDocument::id));
    assertEquals(expected, read);
    assertEquals("3 full pages, then the empty page that ends the cursor", 4, pages.size());
    assertEquals(DOCS, pages.get(0)[1]);
    assertEquals(150, pages.get(0)[0]);
  }

  @Test
  public void readsTheIndexedVectorsWithTheirDocuments() throws IOException {
    SolrCorpus.Indexed indexed = new SolrCorpus(cloud.cloud().client(), COLLECTION)
        .readIndexed(SolrCorpus.VECTOR_FIELD, new PrintStream(OutputStream.nullOutputStream()));
    assertEquals(DOCS, indexed.documents().size());
    assertEquals(DOCS, indexed.vectors().length);
    for (int i = 0; i < DOCS; i++) {
      BeirDocument doc = indexed.documents().get(i);
      assertArrayEquals(doc.id(), unitVector(slice.indexOf(doc)), indexed.vectors()[i], 0f);
    }
  }

  private static float[] unitVector(int i) {
    float[] unit = new float[384];
    unit[i % 384] = 1;
    return unit;
  }

  @Test
  public void missingTextFieldIsNamed() {
    IOException e = assertThrows(IOException.class,
        () -> new SolrCorpus(cloud.cloud().client(), COLLECTION, "id", "title", "body").read());
    assertTrue(e.getMessage(), e.getMessage().contains("no field 'body'"));
    assertTrue(e.getMessage(), e.getMessage().contains(COLLECTION));
  }

  @Test
  public void solrBm25RanksLikeTheTrainersLuceneIndex() throws Exception {
    int compared = 0;
    // over HTTP through a client of its own, as mine and train search a live collection
    try (SolrBm25Source solr = SolrBm25Source.connect(cloud.cloud().baseUrl(), COLLECTION);
        LuceneBm25Source lucene = LuceneBm25Source.open(temp.newFolder("bm25").toPath(), slice,
            BeirConfigSet.locate())) {
      for (String id : train.queryIds()) {
        if (compared == 40) {
          break;
        }
        String text = queries.get(id);
        List<Candidate> fromSolr = solr.candidates(text, 20);
        List<Candidate> fromLucene = lucene.candidates(text, 20);
        assertEquals(text, fromSolr.size(), fromLucene.size());
        for (int i = 0; i < fromSolr.size(); i++) {
          assertEquals(text + " rank " + (i + 1), fromSolr.get(i).docId(), fromLucene.get(i).docId());
          assertEquals(i + 1, fromLucene.get(i).rank());
          assertEquals(text, fromSolr.get(i).score(), fromLucene.get(i).score(), 1e-4f);
        }
        compared++;
      }
    }
    assertEquals(40, compared);
  }

  private static List<Float> toList(float[] vector) {
    List<Float> list = new ArrayList<>(vector.length);
    for (float v : vector) {
      list.add(v);
    }
    return list;
  }
}
