/**
 * The trainable side of a model: the BERT weights of a model directory's ONNX graph loaded into a
 * DJL (PyTorch engine) encoder block, with the directory's tokenizer, pooling and normalization, so
 * that before training it gives the vectors Solr's ONNX encoder gives. {@link
 * dev.whetstone.nn.OnnxBertGraph} reads the weights by their HuggingFace names, with the {@link
 * dev.whetstone.nn.BertConfig} that {@code BertConfigReader} infers from the graph, and writes the
 * graph back with trained weights, which the export step turns into a new model directory.
 */
package dev.whetstone.nn;
