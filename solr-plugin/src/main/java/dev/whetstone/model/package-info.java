/**
 * The model format and the encoder shared by Solr and the trainer: a self-describing model
 * directory ({@code model.onnx}, {@code tokenizer.json} and the {@code whetstone-model.json}
 * manifest with its fingerprints), its tokenizer and the ONNX {@link dev.whetstone.model.Encoder}
 * that turns text into vectors. Solr's update processor and query parsers and the trainer all
 * tokenize and embed through these classes (the processor and the trainer also join document
 * fields with {@link dev.whetstone.model.DocumentText}), so the same text gives the same vector
 * when training and when serving. The package also imports the known pretrained models and names
 * the files published to Solr's file store.
 */
package dev.whetstone.model;
