package dev.whetstone.rollout;

import com.google.gson.Gson;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.client.solrj.request.CollectionAdminRequest;
import org.apache.solr.client.solrj.response.CollectionAdminResponse;

/**
 * What a roll-out leaves on its alias (alias properties, one ZooKeeper write): the collections
 * the name has pointed to, newest first ({@value #LIST}), and the version markers the serving
 * collection had when the name was swapped to it ({@value #SWAP_VERSIONS}), from which a rollback
 * catches the previous collection up without re-embedding everything.
 */
record Generations(List<String> collections, ShardVersions swapVersions) {
  static final String LIST = "whetstone.rollout.generations";
  static final String SWAP_VERSIONS = "whetstone.rollout.swapVersions";
  private static final Gson GSON = new Gson();

  /**
   * What {@code alias} records in {@code aliases} (a LISTALIASES response); for an alias no
   * roll-out has moved yet just the collection it serves.
   */
  static Generations read(CollectionAdminResponse aliases, String alias, String serving) {
    Map<String, String> properties = aliases.getAliasProperties().getOrDefault(alias, Map.of());
    String list = properties.get(LIST);
    List<String> collections = list == null || list.isEmpty() ? List.of(serving)
        : Arrays.asList(list.split(","));
    if (!collections.get(0).equals(serving)) {
      throw new IllegalStateException("alias " + alias + " serves " + serving + " but its property "
          + LIST + " says " + list);
    }
    String versions = properties.get(SWAP_VERSIONS);
    ShardVersions swap = versions == null ? null : GSON.fromJson(versions, ShardVersions.class);
    return new Generations(collections, swap);
  }

  /** These generations with {@code serving} in front (moved there if listed further back). */
  Generations servedBy(String serving, ShardVersions versions) {
    List<String> next = new ArrayList<>(collections);
    next.remove(serving);
    next.add(0, serving);
    return new Generations(next, versions);
  }

  /** The previous collections beyond the {@code keep} newest of them. */
  List<String> beyond(int keep) {
    return collections.size() > keep + 1 ? collections.subList(keep + 1, collections.size()) : List.of();
  }

  Generations without(List<String> deleted) {
    List<String> left = new ArrayList<>(collections);
    left.removeAll(deleted);
    return new Generations(left, swapVersions);
  }

  void write(CloudSolrClient client, String alias) throws IOException, SolrServerException {
    CollectionAdminRequest.setAliasProperty(alias)
        .addProperty(LIST, String.join(",", collections))
        .addProperty(SWAP_VERSIONS, GSON.toJson(swapVersions))
        .process(client);
  }
}
