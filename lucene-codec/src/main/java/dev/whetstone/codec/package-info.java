/**
 * The Whetstone kNN vectors format for Lucene: segments are written as stock Lucene99 HNSW files
 * ({@link dev.whetstone.codec.WhetstoneKnnVectorsFormat}, {@link
 * dev.whetstone.codec.SettingsRecordingWriter}), so any node reads them, and the reader ({@link
 * dev.whetstone.codec.WhetstoneKnnVectorsReader}) answers float kNN searches by the search mode:
 * exactly on a GPU where one is available (handed to {@code dev.whetstone.codec.gpu.GpuSegment}),
 * else with Lucene's HNSW or an exact CPU scan ({@link dev.whetstone.codec.ExactKnnSearch}). This
 * package holds the format, the CPU path, each field's settings ({@link
 * dev.whetstone.codec.KnnFieldSettings}) and a reader searched in one mode ({@link
 * dev.whetstone.codec.SearchModeReader}). It depends on {@code dev.whetstone.codec.gpu}, never the
 * other way: the node's settings, the search modes and the counted, logged fallbacks to the CPU
 * live there, beside the GPU they are about.
 */
package dev.whetstone.codec;
