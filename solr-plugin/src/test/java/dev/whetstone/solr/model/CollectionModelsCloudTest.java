package dev.whetstone.solr.model;

import dev.whetstone.model.Encoder;
import dev.whetstone.model.ModelDirectory;
import dev.whetstone.model.ModelFiles;
import dev.whetstone.model.ModelManifest;
import dev.whetstone.model.TestModels;
import dev.whetstone.solr.BeirCloudTestCase;
import dev.whetstone.solr.ParsersTestCase;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.V2Request;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.embedded.JettySolrRunner;
import org.junit.BeforeClass;
import org.junit.Test;

/**
 * Models per collection on a real 2-node SolrCloud with Solr's file store: the document model is
 * recorded on each collection and never replaced in place; a query tower published to the file
 * store and named by a collection property reaches every replica of that collection only, each
 * verifying the files; what fails to verify or to pair is refused while the old tower serves.
 */
public class CollectionModelsCloudTest extends BeirCloudTestCase {
  private static final String TEXT = "which medicine brings a fever down";
  private static final String EMBED = "{!embed f=vector model=minilm topK=5}";
  private static final String DOCUMENT_KEY = CollectionModels.documentModelKey("minilm");
  private static final String QUERY_KEY = CollectionModels.queryModelKey("minilm");

  private static ModelDirectory documents;
  private static Path tower;
  private static Path strangerTower;

  @BeforeClass
  public static void startCluster() throws Exception {
    documents = TestModels.get("all-minilm-l6-v2");
    Path staging = Files.createTempDirectory("whetstone-towers");
    // the int8 MiniLM as a query tower of the fp32 MiniLM (what query-tower training exports)
    tower = queryOnlyCopy(TestModels.quantizedMiniLm(), staging.resolve("tower"),
        documents.manifest().fingerprint());
    // a tower trained against some other document model
    strangerTower = queryOnlyCopy(TestModels.quantizedMiniLm(), staging.resolve("stranger"),
        "0".repeat(64));
    System.setProperty("enable.packages", "true");
    System.setProperty("metricsEnabled", "true");
    startBeirCluster(2, TestModels.root(), Map.of());
  }

  /**
   * A query-only copy of {@code model} paired with {@code documentFingerprint}, with a model of its
   * own: the ONNX bytes get a {@code doc_string} naming the copy (ModelProto field 6, appended; a
   * protobuf parser takes the last value), so its fingerprint differs as a trained tower's would.
   */
  private static Path queryOnlyCopy(ModelDirectory model, Path dir, String documentFingerprint)
      throws Exception {
    Files.createDirectories(dir);
    byte[] docString = dir.getFileName().toString().getBytes(StandardCharsets.UTF_8);
    byte[] onnx = Files.readAllBytes(model.onnxFile());
    byte[] tagged = Arrays.copyOf(onnx, onnx.length + 2 + docString.length);
    tagged[onnx.length] = (6 << 3) | 2; // field 6, length-delimited
    tagged[onnx.length + 1] = (byte) docString.length; // < 128: one varint byte
    System.arraycopy(docString, 0, tagged, onnx.length + 2, docString.length);
    Files.write(dir.resolve(ModelDirectory.ONNX_FILE), tagged);
    Files.copy(model.tokenizerFile(), dir.resolve(ModelDirectory.TOKENIZER_FILE),
        StandardCopyOption.REPLACE_EXISTING);
    ModelManifest m = model.manifest();
    new ModelManifest(dir.getFileName().toString(), m.version(), m.dimension(), m.pooling(),
        m.normalize(), m.maxLength(), m.queryPrefix(), m.documentPrefix(), m.similarity(),
        ModelDirectory.sha256(dir.resolve(ModelDirectory.ONNX_FILE)), documentFingerprint)
        .write(dir.resolve(ModelManifest.FILE_NAME));
    return dir;
  }

  @Test
  public void recordsTheDocumentModelAndKeepsItWhenTheConfigsetNamesAnother() throws Exception {
    // a configset of its own: the overlay below changes every collection of its configset
    cluster.uploadConfigSet(Path.of("../conf-examples/beir/conf").toAbsolutePath(), "beir-recorded");
    CollectionAdminRequest.createCollection("recorded", "beir-recorded", 1, 2)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection("recorded", 1, 2);
    String fp32 = documents.manifest().fingerprint();
    assertEquals(fp32, collectionProperties("recorded").get(DOCUMENT_KEY));
    assertEquals(List.of(fp32, fp32), served("recorded", "documentModel"));

    // the configset's model path changed for this collection (what used to mix vector spaces)
    setUserProperty("recorded", "whetstone.model.path", "all-minilm-l6-v2-q");
    addDocument("recorded", "late", "Aspirin", "Aspirin lowers a fever.");
    assertEquals(List.of(fp32, fp32), served("recorded", "documentModel"));
    assertEquals("each reloaded core counted the configured model it does not serve",
        List.of("1", "1"), served("recorded", "documentModelOverrides"));
    float[] stored = storedVector("recorded", "late");
    try (Encoder encoder = Encoder.load(documents)) {
      float[] expected = encoder.encodeDocuments(List.of("Aspirin Aspirin lowers a fever."), 1)[0];
      assertArrayEquals(expected, stored, 1e-5f);
    }
  }

  @Test
  public void aCollectionCreatedForAnotherDocumentModelEmbedsWithIt() throws Exception {
    String int8 = TestModels.quantizedMiniLm().manifest().fingerprint();
    CollectionAdminRequest.createCollection("int8", CONFIG, 1, 1)
        .withProperty(DOCUMENT_KEY, int8)
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection("int8", 1, 1);
    assertEquals(int8, collectionProperties("int8").get(DOCUMENT_KEY));
    assertEquals(List.of(int8), served("int8", "documentModel"));
    assertEquals(List.of(int8), served("int8", "queryModel"));
  }

  @Test
  public void switchesOneCollectionsQueryTowerOnEveryReplicaAndRefusesWhatDoesNotVerify()
      throws Exception {
    createCollection("switched", 2, 2);
    createCollection("bystander", 1, 2);
    indexDocs("switched");
    String fp32 = documents.manifest().fingerprint();
    String towerFingerprint = ModelManifest.read(tower.resolve(ModelManifest.FILE_NAME)).fingerprint();
    List<String> before = idsAndScores("switched", EMBED + TEXT);

    // published, then one node's copy damaged: that node refuses, the other switches
    publish(tower);
    JettySolrRunner damaged = cluster.getJettySolrRunner(1);
    Path damagedFile = fileStoreCopy(damaged, towerFingerprint, ModelDirectory.TOKENIZER_FILE);
    byte[] original = Files.readAllBytes(damagedFile);
    Files.writeString(damagedFile, "{}");
    setCollectionProperty("switched", QUERY_KEY, towerFingerprint);
    List<String> refusals = waitFor("switched", "queryModelRefused",
        values -> values.stream().filter(v -> !v.isEmpty()).count() == 2);
    for (String refusal : refusals) {
      if (!refusal.isEmpty()) {
        assertTrue(refusal, refusal.startsWith(towerFingerprint + ":")
            && refusal.contains(damagedFile.toString()) && refusal.contains(towerFingerprint));
      }
    }
    assertEquals(List.of(fp32, fp32, towerFingerprint, towerFingerprint).stream().sorted().toList(),
        served("switched", "queryModel").stream().sorted().toList());
    assertFalse(idsAndScores("switched", EMBED + TEXT).isEmpty()); // both towers answer meanwhile

    // repaired and named again: every replica of this collection, and only of this one
    Files.write(damagedFile, original);
    setCollectionProperty("switched", QUERY_KEY, null);
    waitFor("switched", "queryModel", values -> values.stream().allMatch(fp32::equals));
    setCollectionProperty("switched", QUERY_KEY, towerFingerprint);
    waitFor("switched", "queryModel", values -> values.stream().allMatch(towerFingerprint::equals));
    assertEquals(List.of(fp32, fp32), served("bystander", "queryModel"));
    List<String> after = idsAndScores("switched", EMBED + TEXT);
    assertSameHits(expectedHits("switched", tower), after);
    assertNotEquals(before, after);

    // a tower of another document model: refused naming both fingerprints, the tower stays
    String strangerFingerprint =
        ModelManifest.read(strangerTower.resolve(ModelManifest.FILE_NAME)).fingerprint();
    publish(strangerTower);
    setCollectionProperty("switched", QUERY_KEY, strangerFingerprint);
    for (String refusal : waitFor("switched", "queryModelRefused",
        values -> values.stream().allMatch(v -> v.startsWith(strangerFingerprint)))) {
      assertTrue(refusal, refusal.contains("0".repeat(64)) && refusal.contains(fp32));
    }
    assertTrue(served("switched", "queryModel").stream().allMatch(towerFingerprint::equals));
    assertSameHits(after, idsAndScores("switched", EMBED + TEXT));

    // a node that joins later fetches the tower from the others
    setCollectionProperty("switched", QUERY_KEY, towerFingerprint);
    JettySolrRunner late = cluster.startJettySolrRunner();
    cluster.waitForAllNodes(60);
    CollectionAdminRequest.addReplicaToShard("switched", "shard1").setNode(late.getNodeName())
        .process(cluster.getSolrClient());
    cluster.waitForActiveCollection("switched", 2, 5);
    assertTrue(Files.isRegularFile(fileStoreCopy(late, towerFingerprint, ModelDirectory.ONNX_FILE)));
    waitFor("switched", "queryModel",
        values -> values.size() == 5 && values.stream().allMatch(towerFingerprint::equals));
  }

  /** What the {@code {!knn}} parser returns for {@code model}'s vector of {@link #TEXT}. */
  private static List<String> expectedHits(String collection, Path model) throws Exception {
    float[] vector;
    try (Encoder encoder = Encoder.load(ModelDirectory.open(model))) {
      vector = encoder.encodeQuery(TEXT);
    }
    return idsAndScores(collection, "{!knn f=vector topK=5}" + ParsersTestCase.vectorText(vector));
  }

  /** Same documents in the same order, scores equal to 1e-6 (ONNX Runtime thread counts differ). */
  private static void assertSameHits(List<String> expected, List<String> actual) {
    assertEquals(expected + " vs " + actual, expected.size(), actual.size());
    for (int i = 0; i < expected.size(); i++) {
      String[] e = expected.get(i).split(" ");
      String[] a = actual.get(i).split(" ");
      assertEquals(expected + " vs " + actual, e[0], a[0]);
      assertEquals(expected + " vs " + actual, Float.parseFloat(e[1]), Float.parseFloat(a[1]), 1e-6);
    }
  }

  /** Uploads a model directory to Solr's file store as {@code whetstone deploy} does. */
  private static void publish(Path dir) throws Exception {
    ModelManifest manifest = ModelManifest.read(dir.resolve(ModelManifest.FILE_NAME));
    Path staged = Files.createTempDirectory("publish").resolve(ModelManifest.FILE_NAME);
    manifest.withFiles(ModelFiles.digests(dir)).write(staged);
    for (String name : ModelFiles.publishable(dir)) {
      Path file = name.equals(ModelManifest.FILE_NAME) ? staged : dir.resolve(name);
      new V2Request.Builder("/cluster/filestore/files" + ModelLocator.FILE_STORE_ROOT
          + manifest.fingerprint() + "/" + name)
          .withMethod(SolrRequest.METHOD.PUT)
          .withPayload(ByteBuffer.wrap(Files.readAllBytes(file)))
          .forceV2(true)
          .withMimeType("application/octet-stream")
          .build()
          .process(cluster.getSolrClient());
    }
    // every running node holds its whole copy before a core is asked to load it (Solr writes a
    // node's copy in the background after the upload: present is not yet complete)
    for (JettySolrRunner node : cluster.getJettySolrRunners()) {
      for (String name : ModelFiles.publishable(dir)) {
        long size = Files.size(name.equals(ModelManifest.FILE_NAME) ? staged : dir.resolve(name));
        Path copy = fileStoreCopy(node, manifest.fingerprint(), name);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (!(Files.isRegularFile(copy) && Files.size(copy) == size) && System.nanoTime() < deadline) {
          Thread.sleep(100);
        }
        assertEquals(copy.toString(), size, Files.size(copy));
      }
    }
  }

  private static Path fileStoreCopy(JettySolrRunner node, String fingerprint, String file) {
    return node.getCoreContainer().getFileStore()
        .getRealpath(ModelLocator.FILE_STORE_ROOT + fingerprint + "/" + file);
  }

  /** Each replica's value of the gauge {@code OTHER.embeddings.minilm.NAME}, over the metrics API. */
  private static List<String> served(String collection, String gauge) throws Exception {
    List<String> values = new ArrayList<>();
    for (JettySolrRunner node : cluster.getJettySolrRunners()) {
      ModifiableSolrParams params = new ModifiableSolrParams();
      params.set("group", "core");
      params.set("prefix", "OTHER.embeddings.minilm." + gauge);
      try (SolrClient client = node.newClient()) {
        NamedList<Object> response =
            client.request(new GenericSolrRequest(SolrRequest.METHOD.GET, "/admin/metrics", params));
        NamedList<?> registries = (NamedList<?>) response.get("metrics");
        for (Map.Entry<String, ?> registry : registries) {
          if (registry.getKey().startsWith("solr.core." + collection + ".")) {
            Object value = ((NamedList<?>) registry.getValue()).get("OTHER.embeddings.minilm." + gauge);
            values.add(value instanceof Map<?, ?> gaugeValue ? String.valueOf(gaugeValue.get("value"))
                : String.valueOf(value));
          }
        }
      }
    }
    return values;
  }

  private static List<String> waitFor(String collection, String gauge,
      Predicate<List<String>> condition) throws Exception {
    long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
    List<String> values = served(collection, gauge);
    while (!condition.test(values) && System.nanoTime() < deadline) {
      Thread.sleep(100);
      values = served(collection, gauge);
    }
    assertTrue(gauge + " of " + collection + ": " + values, condition.test(values));
    return values;
  }

  private static Map<String, String> collectionProperties(String collection) throws Exception {
    return new TreeMap<>(cluster.getZkStateReader().getCollectionProperties(collection));
  }

  private static void setCollectionProperty(String collection, String key, String value)
      throws Exception {
    CollectionAdminRequest.setCollectionProperty(collection, key, value)
        .process(cluster.getSolrClient());
  }

  private static void setUserProperty(String collection, String name, String value) throws Exception {
    String body = "{\"set-user-property\": {\"" + name + "\": \"" + value + "\"}}";
    new GenericSolrRequest(SolrRequest.METHOD.POST, "/config")
        .setRequiresCollection(true)
        .withContent(body.getBytes(StandardCharsets.UTF_8), "application/json")
        .process(cluster.getSolrClient(), collection);
  }

  private static void indexDocs(String collection) throws Exception {
    List<SolrInputDocument> docs = new ArrayList<>();
    for (String[] doc : ParsersTestCase.DOCS) {
      docs.add(new SolrInputDocument("id", doc[0], "title", doc[2], "text", doc[3]));
    }
    cluster.getSolrClient().add(collection, docs);
    cluster.getSolrClient().commit(collection);
  }

  private static void addDocument(String collection, String id, String title, String text)
      throws Exception {
    cluster.getSolrClient().add(collection, new SolrInputDocument("id", id, "title", title, "text", text));
    cluster.getSolrClient().commit(collection);
  }

  private static float[] storedVector(String collection, String id) throws Exception {
    SolrDocument doc = cluster.getSolrClient().getById(collection, id);
    List<?> values = (List<?>) doc.getFieldValue("vector");
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) {
      vector[i] = ((Number) values.get(i)).floatValue();
    }
    return vector;
  }

  private static List<String> idsAndScores(String collection, String q) throws Exception {
    SolrQuery query = new SolrQuery(q).setFields("id", "score");
    List<String> hits = new ArrayList<>();
    for (SolrDocument doc : cluster.getSolrClient().query(collection, query).getResults()) {
      hits.add(doc.getFieldValue("id") + " " + doc.getFieldValue("score"));
    }
    return hits;
  }
}
