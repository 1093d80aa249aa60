/**
 * The last step of training: writing the trained encoder as a model directory Solr loads
 * unchanged, the source model's ONNX graph with the trained weights in its initializers, the
 * source's tokenizer, and a manifest carrying the new file's fingerprint.
 */
package dev.whetstone.export;
