/**
 * The schema side of GPU kNN search: {@link dev.whetstone.solr.schema.GpuKnnCodecFactory} (the
 * core's codec factory) writes and searches the vector fields whose type opts in with {@code
 * knnAlgorithm="whetstone-gpu"}, backed by the {@code lucene-codec} module; {@link
 * dev.whetstone.solr.schema.GpuDenseVectorField} is the field type that also sets a field's
 * search mode and GPU threshold.
 */
package dev.whetstone.solr.schema;
