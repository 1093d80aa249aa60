/**
 * The Solr plugins: the model registry search component that loads a core's embedding models
 * (node-wide, from the models directory or Solr's file store, with per-collection document model
 * and switchable query tower), the update processor that embeds incoming documents into a dense
 * vector field, the {@code {!embed}} and {@code {!hybrid}} query parsers, and the component that
 * fuses hybrid candidates across shards. It also holds the GPU kNN codec factory and field type
 * (backed by {@code dev.whetstone.codec}), the signed internal parameters nodes exchange
 * (embedded query vectors, fused scores), and the UBI query log that click training reads.
 */
package dev.whetstone.solr;
