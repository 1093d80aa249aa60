package dev.whetstone.solr;

import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.junit.AfterClass;

/**
 * A real SolrCloud cluster running the conf-examples/beir configset, with the models directory
 * (and any other system property the configset reads) set before the nodes start and cleared
 * after the class.
 */
public abstract class BeirCloudTestCase extends SolrCloudTestCase {
  public static final String CONFIG = "beir";
  private static final List<String> properties = new ArrayList<>();

  /**
   * Starts {@code nodes} nodes with the configset uploaded as {@value #CONFIG}, the models in
   * {@code modelsDir}, and {@code moreProperties} (e.g. {@code whetstone.model.path}) set.
   */
  public static void startBeirCluster(int nodes, Path modelsDir, Map<String, String> moreProperties)
      throws Exception {
    setProperty(WhetstoneParams.MODELS_DIR_PROPERTY, modelsDir.toString());
    moreProperties.forEach(BeirCloudTestCase::setProperty);
    configureCluster(nodes)
        .addConfig(CONFIG, Paths.get("../conf-examples/beir/conf").toAbsolutePath())
        .configure();
  }

  /** Creates a collection of the configset and waits until all its replicas are active. */
  public static void createCollection(String name, int shards, int replicas) throws Exception {
    CollectionAdminRequest.createCollection(name, CONFIG, shards, replicas)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection(name, shards, shards * replicas);
  }

  /**
   * Copies {@code from}'s first {@code rows} documents, vectors included, into {@code to} and
   * commits: the embedding processor keeps a vector it is given (skipExisting), so both
   * collections hold the same vectors. Returns how many were copied.
   */
  public static int copyWithVectors(String from, String to, int rows) throws Exception {
    QueryResponse stored = cluster.getSolrClient().query(from,
        new SolrQuery("*:*").setRows(rows).setFields("id", "title", "text", "vector"));
    List<SolrInputDocument> copies = new ArrayList<>();
    for (SolrDocument doc : stored.getResults()) {
      SolrInputDocument copy = new SolrInputDocument();
      doc.forEach(copy::addField);
      copies.add(copy);
    }
    cluster.getSolrClient().add(to, copies);
    cluster.getSolrClient().commit(to);
    return copies.size();
  }

  private static void setProperty(String name, String value) {
    System.setProperty(name, value);
    properties.add(name);
  }

  @AfterClass
  public static void clearBeirProperties() {
    properties.forEach(System::clearProperty);
    properties.clear();
  }
}
