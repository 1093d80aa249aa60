package dev.whetstone.demo;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.apache.lucene.util.IOUtils;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.embedded.JettyConfig;
import org.apache.solr.embedded.JettySolrRunner;

/**
 * A real SolrCloud in this JVM: Jetty nodes and an embedded ZooKeeper (solr-test-framework's
 * MiniSolrCloudCluster), in a temporary folder that is deleted on close.
 */
public final class LocalSolrCloud implements AutoCloseable {
  private static final String MAX_FILE_STORE_SIZE = "max.file.store.size";

  private static final String HOST_CONTEXT = "/solr";

  private final MiniSolrCloudCluster cluster;
  private final Path baseDir;

  private LocalSolrCloud(MiniSolrCloudCluster cluster, Path baseDir) {
    this.cluster = cluster;
    this.baseDir = baseDir;
  }

  /**
   * Starts {@code nodes} nodes. The first listens on {@code port} when it is free (so printed URLs
   * are stable), else on a free port; the others on free ports. {@code port} 0 means any.
   *
   * @param modelsDir the nodes' models directory (system property whetstone.models.dir)
   * @param modelPath the model directory under {@code modelsDir} the configset's model points to
   */
  public static LocalSolrCloud start(int nodes, int port, Path modelsDir, String modelPath)
      throws Exception {
    if (nodes < 1) {
      throw new IllegalArgumentException("nodes must be >= 1, got " + nodes);
    }
    Path baseDir = Files.createTempDirectory("whetstone-solrcloud-");
    // Solr reads these when cores load; they must be set before the first node starts.
    System.setProperty("ai.djl.offline", "true");
    System.setProperty("whetstone.models.dir", modelsDir.toAbsolutePath().toString());
    System.setProperty("whetstone.model.path", modelPath);
    System.setProperty("solr.log.dir", baseDir.resolve("logs").toString());
    // the test framework's solr.xml turns metrics off unless asked; /admin/metrics should work
    System.setProperty("metricsEnabled", "true");
    // whetstone deploy publishes models to the file store, which refuses uploads without it
    System.setProperty("enable.packages", "true");
    // and refuses to copy files over 100 MB between nodes (the fp32 bge and e5 models are 133 MB);
    // Solr reads it once per JVM, so it is set before the first node starts
    if (System.getProperty(MAX_FILE_STORE_SIZE) == null) {
      System.setProperty(MAX_FILE_STORE_SIZE, String.valueOf(1L << 30));
    }
    int firstPort = port > 0 && isFree(port) ? port : 0;
    MiniSolrCloudCluster cluster = new MiniSolrCloudCluster.Builder(1, baseDir)
        .withJettyConfig(jetty -> jetty.setPort(firstPort).setContext(HOST_CONTEXT))
        .build();
    try {
      // the builder gives every node the same JettyConfig, hence the same port: add the rest here
      for (int i = 2; i <= nodes; i++) {
        cluster.startJettySolrRunner("node" + i, HOST_CONTEXT, JettyConfig.builder().setPort(0).build());
      }
      cluster.waitForAllNodes(60);
      return new LocalSolrCloud(cluster, baseDir);
    } catch (Exception e) {
      cluster.shutdown();
      throw e;
    }
  }

  public void uploadConfigSet(Path confDir, String name) throws IOException {
    if (!Files.isRegularFile(confDir.resolve("solrconfig.xml"))) {
      throw new IOException("not a configset folder (no solrconfig.xml): " + confDir);
    }
    cluster.uploadConfigSet(confDir, name);
  }

  /** Creates a collection and waits until all its replicas are active. */
  public void createCollection(String name, String configSet, int shards, int replicas)
      throws IOException, SolrServerException {
    CollectionAdminRequest.createCollection(name, configSet, shards, replicas)
        .process(client())
        .getResponse();
    cluster.waitForActiveCollection(name, 120, TimeUnit.SECONDS, shards, shards * replicas);
  }

  public CloudSolrClient client() {
    return cluster.getSolrClient();
  }

  /** Base URL of the first node, e.g. {@code http://127.0.0.1:8983/solr}. */
  public String baseUrl() {
    return cluster.getJettySolrRunner(0).getBaseUrl().toString();
  }

  public Iterable<JettySolrRunner> nodes() {
    return cluster.getJettySolrRunners();
  }

  @Override
  public void close() throws Exception {
    try {
      cluster.shutdown();
    } finally {
      IOUtils.rm(baseDir);
    }
  }

  private static boolean isFree(int port) {
    try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

}
