package dev.whetstone.solr.model;

import java.io.IOException;
import java.util.Map;
import java.util.function.Consumer;
import org.apache.solr.cloud.CloudDescriptor;
import org.apache.solr.common.cloud.CollectionProperties;
import org.apache.solr.common.cloud.CollectionPropsWatcher;
import org.apache.solr.common.cloud.ZkStateReader;
import org.apache.solr.core.SolrCore;

/**
 * What a SolrCloud collection records about its models, in its collection properties: the document
 * model its vectors come from and the query tower that serves it, per model name. A switch is a
 * property change on one collection, so other collections of the same configset are left alone.
 */
final class CollectionModels {
  private final ZkStateReader zkStateReader;
  private final CollectionProperties properties;
  private final String collection;
  private CollectionPropsWatcher watcher;

  private CollectionModels(ZkStateReader zkStateReader, String collection) {
    this.zkStateReader = zkStateReader;
    this.properties = new CollectionProperties(zkStateReader.getZkClient());
    this.collection = collection;
  }

  /** The collection of a SolrCloud core; null for a standalone core. */
  static CollectionModels of(SolrCore core) {
    CloudDescriptor cloud = core.getCoreDescriptor().getCloudDescriptor();
    if (cloud == null || core.getCoreContainer().getZkController() == null) {
      return null;
    }
    return new CollectionModels(core.getCoreContainer().getZkController().getZkStateReader(),
        cloud.getCollectionName());
  }

  /** The property naming the document model of model {@code name}'s vectors. */
  static String documentModelKey(String name) {
    return "whetstone." + name + ".documentModel";
  }

  /** The property naming the query tower of model {@code name}; absent: the configured one. */
  static String queryModelKey(String name) {
    return "whetstone." + name + ".queryModel";
  }

  String collection() {
    return collection;
  }

  Map<String, String> read() throws IOException {
    return properties.getCollectionProperties(collection);
  }

  /**
   * Records {@code value} under {@code key} unless a value is recorded already; returns the
   * recorded value (another core of the collection may have been first).
   */
  String recordIfAbsent(String key, String value) throws IOException {
    String recorded = read().get(key);
    if (recorded != null) {
      return recorded;
    }
    properties.setCollectionProperty(collection, key, value);
    return read().get(key);
  }

  /** Calls {@code listener} with the properties now and on every change, until {@link #close}. */
  synchronized void watch(Consumer<Map<String, String>> listener) {
    watcher = props -> {
      listener.accept(props);
      return false;
    };
    zkStateReader.registerCollectionPropsWatcher(collection, watcher);
  }

  synchronized void close() {
    if (watcher != null) {
      zkStateReader.removeCollectionPropsWatcher(collection, watcher);
      watcher = null;
    }
  }
}
