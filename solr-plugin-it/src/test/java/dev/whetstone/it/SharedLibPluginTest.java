package dev.whetstone.it;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.stream.Stream;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.cloud.MiniSolrCloudCluster;
import org.apache.solr.cloud.SolrCloudTestCase;
import org.junit.AfterClass;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * The shaded plugin jar as a stock Solr 9.10 node loads it: from the node's shared lib folder
 * (solr.xml {@code sharedLib}), through Solr's class loader, with neither Whetstone nor DJL on the
 * JVM classpath. One node with two shards: two cores share the node's single copy of the native
 * libraries (ONNX Runtime, tokenizers), which a JVM can load through one class loader only.
 */
public class SharedLibPluginTest extends SolrCloudTestCase {
  private static final String COLLECTION = "shared_lib";

  @BeforeClass
  public static void startNodeWithPluginInSharedLib() throws Exception {
    Path lib = Paths.get(System.getProperty("whetstone.it.lib"));
    try (Stream<Path> jars = Files.list(lib)) {
      assertEquals("one shaded plugin jar in " + lib, 1, jars.count());
    }
    assertThrows("the plugin must not be on the test classpath", ClassNotFoundException.class,
        () -> Class.forName("dev.whetstone.solr.model.ModelRegistryComponent"));

    Path models = createTempDir("models");
    importModel(lib, models.resolve("all-minilm-l6-v2-q"));
    System.setProperty("whetstone.models.dir", models.toString());
    System.setProperty("whetstone.model.path", "all-minilm-l6-v2-q");
    String solrXml = MiniSolrCloudCluster.DEFAULT_CLOUD_SOLR_XML.replaceFirst("<solr>",
        "<solr>\n  <str name=\"sharedLib\">" + lib.toAbsolutePath() + "</str>");
    configureCluster(1)
        .withSolrXml(solrXml)
        .addConfig("beir", Paths.get(System.getProperty("whetstone.it.conf")))
        .configure();
    CollectionAdminRequest.createCollection(COLLECTION, "beir", 2, 1).process(cluster.getSolrClient());
    cluster.waitForActiveCollection(COLLECTION, 2, 2);
  }

  @AfterClass
  public static void clearProperties() {
    System.clearProperty("whetstone.models.dir");
    System.clearProperty("whetstone.model.path");
  }

  /**
   * Imports the int8 MiniLM with the plugin's own importer, loaded from the shaded jar in a class
   * loader of its own (as an operator runs {@code whetstone model import}).
   */
  private static void importModel(Path lib, Path target) throws Exception {
    Path pluginJar;
    try (Stream<Path> jars = Files.list(lib)) {
      pluginJar = jars.findFirst().orElseThrow();
    }
    try (URLClassLoader loader = new URLClassLoader(new URL[] {pluginJar.toUri().toURL()},
        ClassLoader.getPlatformClassLoader())) {
      Class<?> pretrained = loader.loadClass("dev.whetstone.model.PretrainedModel");
      Object model = pretrained.getMethod("byName", String.class).invoke(null, "all-minilm-l6-v2-q");
      Method importTo = pretrained.getMethod("importTo", Path.class, Path.class);
      importTo.invoke(model, target, Paths.get(System.getProperty("whetstone.it.modelJar")));
    }
  }

  @Test
  public void indexesThroughTheProcessorAndAnswersEmbedAndHybrid() throws Exception {
    CloudSolrClient client = cluster.getSolrClient();
    client.add(COLLECTION, List.of(
        doc("1", "Aspirin reduces fever", "Aspirin and paracetamol lower fever in adults."),
        doc("2", "Stock market rally", "Shares closed higher as investors bet on lower rates."),
        doc("3", "Sourdough bread", "Bake sourdough with flour, water, salt and a starter.")));
    client.commit(COLLECTION);

    SolrDocument stored = client.query(COLLECTION, new SolrQuery("id:1").setFields("vector"))
        .getResults().get(0);
    assertEquals("the processor embedded the document", 384,
        ((List<?>) stored.getFieldValue("vector")).size());
    for (String q : List.of("{!embed f=vector model=minilm topK=3}medicine for a temperature",
        "{!hybrid f=vector model=minilm lexicalQf='title text'}medicine for a temperature")) {
      List<SolrDocument> hits = client.query(COLLECTION, new SolrQuery(q).setFields("id", "score"))
          .getResults();
      assertFalse(q, hits.isEmpty());
      assertEquals(q, "1", hits.get(0).getFieldValue("id"));
      assertTrue(q, ((Number) hits.get(0).getFieldValue("score")).floatValue() > 0);
    }
  }

  private static SolrInputDocument doc(String id, String title, String text) {
    return new SolrInputDocument("id", id, "title", title, "text", text);
  }
}
