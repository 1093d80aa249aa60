package dev.whetstone.demo;

import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.eval.Evaluation;
import dev.whetstone.retrieval.RetrievalMode;
import dev.whetstone.workspace.ModelCache;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;

/**
 * A local SolrCloud set up for BEIR data: the {@code conf-examples/beir} configset uploaded, one
 * model in the nodes' models directory. Collections are indexed through the update processor and
 * evaluated through Solr, the same way by the demo and the cloud tests.
 */
public final class BeirCloud implements AutoCloseable {
  public static final String CONFIG_SET = "beir";

  private final LocalSolrCloud cloud;

  private BeirCloud(LocalSolrCloud cloud) {
    this.cloud = cloud;
  }

  /**
   * Imports the model into {@code modelsDir} if missing, starts the nodes and uploads the configset.
   *
   * @param model a pretrained model name, e.g. {@code all-minilm-l6-v2}
   */
  public static BeirCloud start(int nodes, int port, Path modelsDir, String model, Path confDir)
      throws Exception {
    ModelCache.ensure(modelsDir, model);
    LocalSolrCloud cloud = LocalSolrCloud.start(nodes, port, modelsDir, model);
    try {
      cloud.uploadConfigSet(confDir, CONFIG_SET);
      return new BeirCloud(cloud);
    } catch (IOException | RuntimeException e) {
      cloud.close();
      throw e;
    }
  }

  public void createCollection(String name, int shards, int replicas)
      throws IOException, SolrServerException {
    cloud.createCollection(name, CONFIG_SET, shards, replicas);
  }

  /** Indexes documents through the collection's update chain; returns seconds spent. */
  public double index(String collection, List<BeirDocument> documents, LongConsumer progress)
      throws IOException, SolrServerException {
    return new BeirIndexer(cloud.client(), collection, BeirIndexer.DEFAULT_BATCH_SIZE)
        .index(documents, progress);
  }

  /** Runs the judged queries of {@code queries} (id → text) with one mode and evaluates the run. */
  public Evaluation evaluate(String collection, RetrievalMode mode, Map<String, String> queries,
      Qrels qrels) throws IOException, SolrServerException {
    return Evaluation.of(qrels, runner(collection).run(mode, queries, 100));
  }

  /**
   * Copies every document of {@code from}, stored vector included, into {@code to} and commits;
   * the processor keeps supplied vectors, so both collections hold the same vectors without
   * embedding the corpus twice. Returns the number of documents copied.
   */
  public long copyWithVectors(String from, String to) throws IOException, SolrServerException {
    SolrClient client = cloud.client();
    SolrQuery query = new SolrQuery("*:*");
    query.setFields("id", "title", "text", "vector");
    query.setSort("id", SolrQuery.ORDER.asc);
    query.setRows(500);
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    long copied = 0;
    while (true) {
      query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse response = client.query(from, query);
      List<SolrInputDocument> batch = new ArrayList<>();
      for (SolrDocument doc : response.getResults()) {
        SolrInputDocument copy = new SolrInputDocument();
        doc.forEach(copy::addField);
        batch.add(copy);
      }
      if (!batch.isEmpty()) {
        client.add(to, batch);
        copied += batch.size();
      }
      if (cursor.equals(response.getNextCursorMark())) {
        break;
      }
      cursor = response.getNextCursorMark();
    }
    client.commit(to);
    return copied;
  }

  public BeirRunner runner(String collection) {
    return new BeirRunner(cloud.client(), collection);
  }

  public LocalSolrCloud cloud() {
    return cloud;
  }

  @Override
  public void close() throws Exception {
    cloud.close();
  }
}
