package dev.whetstone.rollout;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrRequest;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudHttp2SolrClient;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.request.GenericSolrRequest;
import org.apache.solr.client.solrj.request.ZookeeperReadApi;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.Utils;

/**
 * What the roll-out needs from a live SolrCloud, over HTTP only (no ZooKeeper connection, no shell
 * on a node): the replicas of a collection, its collection properties, and a core's metrics.
 * Errors name the collection, URL or property concerned.
 */
public final class SolrAdmin implements AutoCloseable {
  /** A replica of a collection as CLUSTERSTATUS reports it. */
  public record Replica(String collection, String shard, String name, String core, String baseUrl,
      String state, boolean leader) {
    public boolean active() {
      return "active".equals(state);
    }

    /** The metrics registry of its core: {@code solr.core.<collection>.<shard>.<replica>}. */
    public String metricsRegistry() {
      return "solr.core." + collection + "." + shard + "."
          + Utils.parseMetricsReplicaName(collection, core);
    }

    @Override
    public String toString() {
      return shard + "/" + core + " on " + baseUrl;
    }
  }

  private final String solrUrl;
  private final CloudSolrClient client;

  /** A client of the cluster that {@code solrUrl} (e.g. {@code http://host:8983/solr}) is part of. */
  public SolrAdmin(String solrUrl) {
    this.solrUrl = solrUrl.replaceAll("/+$", "");
    this.client = new CloudSolrClient.Builder(List.of(this.solrUrl)).build();
  }

  public String solrUrl() {
    return solrUrl;
  }

  /** The client for queries (it routes them to the collection's replicas). */
  public SolrClient client() {
    return client;
  }

  /** The same client, for what needs the cluster's state (collections, aliases). */
  public CloudSolrClient cloudClient() {
    return client;
  }

  /**
   * The collection {@code name} stands for: itself, or the one collection a simple alias points to.
   */
  public String resolve(String name) throws IOException {
    Map<String, Object> collections = clusterStatus(name);
    if (collections.size() != 1) {
      throw new IOException("'" + name + "' at " + solrUrl + " stands for " + collections.size()
          + " collections " + collections.keySet() + "; roll out to one collection at a time");
    }
    return collections.keySet().iterator().next();
  }

  /** Every replica of a collection (or of the collection an alias points to), shard by shard. */
  public List<Replica> replicas(String name) throws IOException {
    List<Replica> replicas = new ArrayList<>();
    clusterStatus(name).forEach((collection, state) -> {
      Map<String, Object> shards = map(map(state).get("shards"));
      shards.forEach((shard, shardState) -> map(map(shardState).get("replicas")).forEach((replica, r) -> {
        Map<String, Object> props = map(r);
        replicas.add(new Replica(collection, shard, replica, (String) props.get("core"),
            (String) props.get("base_url"), (String) props.get("state"),
            "true".equals(String.valueOf(props.get("leader")))));
      }));
    });
    if (replicas.isEmpty()) {
      throw new IOException("collection '" + name + "' at " + solrUrl + " has no replicas");
    }
    return replicas;
  }

  /**
   * The collection properties (COLLECTIONPROP) of a collection, read from ZooKeeper's {@code
   * collectionprops.json} through Solr's ZooKeeper read API; empty when none was ever set.
   */
  public Map<String, String> collectionProperties(String collection) throws IOException {
    String path = "/collections/" + collection + "/collectionprops.json";
    ZookeeperReadApi.ReadNode read = new ZookeeperReadApi.ReadNode(path);
    ZookeeperReadApi.ReadNodeResponse response = send(read, "reading " + path);
    Map<String, String> properties = new LinkedHashMap<>();
    if (response.getHttpStatus() == 404) {
      return properties;
    }
    try (InputStream in = response.getResponseStreamIfSuccessful();
        Reader reader = new InputStreamReader(in, StandardCharsets.UTF_8)) {
      JsonElement json = JsonParser.parseReader(reader);
      if (json.isJsonObject()) { // an empty znode (properties all removed) reads as nothing
        for (Map.Entry<String, JsonElement> e : json.getAsJsonObject().entrySet()) {
          properties.put(e.getKey(), e.getValue().getAsString());
        }
      }
    } catch (RuntimeException e) {
      throw new IOException("reading " + path + " at " + solrUrl + ": " + e.getMessage(), e);
    }
    return properties;
  }

  /** One collection property; {@code null} when it is not set. */
  public String collectionProperty(String collection, String property) throws IOException {
    return collectionProperties(collection).get(property);
  }

  /** Sets a collection property, or removes it when {@code value} is null. */
  public void setCollectionProperty(String collection, String property, String value)
      throws IOException {
    send(CollectionAdminRequest.setCollectionProperty(collection, property, value),
        (value == null ? "removing " : "setting ") + "collection property " + property + " of '"
            + collection + "'");
  }

  /**
   * The metrics of one replica's core whose names start with {@code prefix}, e.g. {@code
   * OTHER.embeddings.minilm.}: name → value, a gauge given as {@code {"value": v}} unwrapped.
   */
  public Map<String, Object> coreMetrics(Replica replica, String prefix) throws IOException {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("group", "core");
    params.set("registry", replica.metricsRegistry());
    params.set("prefix", prefix);
    GenericSolrRequest request =
        new GenericSolrRequest(SolrRequest.METHOD.GET, "/admin/metrics", params);
    NamedList<Object> response;
    try {
      response = http().requestWithBaseUrl(replica.baseUrl(), null, request).getResponse();
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException("reading the metrics of replica " + replica + ": " + e.getMessage(), e);
    }
    Object metrics = map(response.get("metrics")).get(replica.metricsRegistry());
    if (metrics == null) {
      throw new IOException("replica " + replica + " has no metrics registry "
          + replica.metricsRegistry() + " (are metrics enabled on that node?)");
    }
    Map<String, Object> values = new LinkedHashMap<>();
    map(metrics).forEach((name, value) -> {
      Object inner = value instanceof Map<?, ?> || value instanceof NamedList<?> ? map(value).get("value") : null;
      values.put(name, inner != null ? inner : value);
    });
    return values;
  }

  private Http2SolrClient http() {
    return ((CloudHttp2SolrClient) client).getHttpClient();
  }

  private Map<String, Object> clusterStatus(String name) throws IOException {
    NamedList<Object> response = send(
        CollectionAdminRequest.getClusterStatus().setCollectionName(name),
        "reading the cluster status of '" + name + "'").getResponse();
    Map<String, Object> collections = map(map(response.get("cluster")).get("collections"));
    if (collections.isEmpty()) {
      throw new IOException("no collection or alias '" + name + "' at " + solrUrl);
    }
    return collections;
  }

  private <R extends org.apache.solr.client.solrj.SolrResponse> R send(SolrRequest<R> request,
      String what) throws IOException {
    try {
      return request.process(client);
    } catch (SolrServerException | RuntimeException e) {
      // the message says what Solr answered (or that it did not): one line for the user
      throw new IOException(what + " at " + solrUrl + ": " + e.getMessage());
    }
  }

  /** A NamedList or Map of a response as a Map (JSON and javabin responses differ here). */
  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object value) {
    if (value == null) {
      return Map.of();
    }
    if (value instanceof NamedList<?> list) {
      Map<String, Object> copy = new LinkedHashMap<>();
      list.forEach((k, v) -> copy.put(k, v));
      return copy;
    }
    return (Map<String, Object>) value;
  }

  @Override
  public void close() throws IOException {
    client.close();
  }
}
