/**
 * The Whetstone kNN vectors format for Lucene: segments are written as stock Lucene99 HNSW files
 * ({@link dev.whetstone.codec.WhetstoneKnnVectorsFormat}, {@link
 * dev.whetstone.codec.SettingsRecordingWriter}), so any node reads them, and the reader ({@link
 * dev.whetstone.codec.WhetstoneKnnVectorsReader}) answers float kNN searches by {@link
 * dev.whetstone.codec.KnnSearchMode}: exactly on a GPU where one is available (handed to {@code
 * dev.whetstone.codec.gpu.GpuSegment}), else with Lucene's HNSW or an exact CPU scan ({@link
 * dev.whetstone.codec.ExactKnnSearch}). This package holds what the format and the CPU path need:
 * the node's settings ({@link dev.whetstone.codec.GpuKnnSettings}, search mode included) and each
 * field's ({@link dev.whetstone.codec.KnnFieldSettings}), a reader searched in one mode ({@link
 * dev.whetstone.codec.SearchModeReader}), and the reasons a search left the GPU for the CPU,
 * counted and logged ({@link dev.whetstone.codec.KnnFallback}, {@link
 * dev.whetstone.codec.KnnFallbackLog}). Everything only about running on the GPU is in {@code
 * dev.whetstone.codec.gpu}.
 */
package dev.whetstone.codec;
