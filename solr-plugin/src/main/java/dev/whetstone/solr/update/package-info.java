/**
 * Indexing with the models: {@link dev.whetstone.solr.update.EmbeddingUpdateProcessorFactory}
 * embeds the text of incoming documents into a dense vector field, a batch of documents per model
 * call, once, on the node that receives them.
 */
package dev.whetstone.solr.update;
