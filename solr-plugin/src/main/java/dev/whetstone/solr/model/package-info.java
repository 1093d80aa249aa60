/**
 * The embedding models a core serves. {@link dev.whetstone.solr.model.ModelRegistryComponent}
 * (a search component in {@code last-components}) declares them in solrconfig.xml and wires the
 * package's parts: {@code DeclaredModel} reads the declaration; {@code TowerLoader} loads their
 * encoders node-wide ({@code SharedEncoders}, reference-counted by cores, with a query-vector LRU)
 * from the models directory or Solr's file store ({@code ModelLocator}, which refuses paths outside
 * them), accepting only towers that pair ({@code TowerPairing}); {@code ServedModels} holds and
 * releases them; {@code QueryTowerSwitcher} follows the collection's properties for its document
 * model and switchable query tower ({@code CollectionModels}), refusing what would mix vector
 * spaces; {@code RegistryMetrics} reports them. The component forwards the query vectors a
 * coordinator embedded to the shards ({@link dev.whetstone.solr.InternalParams}). {@link
 * dev.whetstone.solr.model.EmbeddingModel} is one model as a core sees it: it embeds documents and
 * queries (a query text once per distributed request) and records the core's metrics; {@link
 * dev.whetstone.solr.model.ModelLookup} is how a query parser plugin finds it, and {@link
 * dev.whetstone.solr.model.VectorFields} checks that a vector field holds its vectors.
 */
package dev.whetstone.solr.model;
