package dev.whetstone.codec;

import java.io.IOException;
import org.apache.lucene.codecs.KnnFieldVectorsWriter;
import org.apache.lucene.codecs.KnnVectorsWriter;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.MergeState;
import org.apache.lucene.index.Sorter;

/**
 * Lucene's HNSW writer, recording each field's {@link KnnFieldSettings} in its field info as the
 * field is added (flush) or merged. Field infos are written after the vectors, so the attributes
 * reach the segment.
 */
final class SettingsRecordingWriter extends KnnVectorsWriter {
  private final KnnVectorsWriter hnsw;
  private final KnnFieldSettings settings;

  SettingsRecordingWriter(KnnVectorsWriter hnsw, KnnFieldSettings settings) {
    this.hnsw = hnsw;
    this.settings = settings;
  }

  @Override
  public KnnFieldVectorsWriter<?> addField(FieldInfo fieldInfo) throws IOException {
    settings.writeTo(fieldInfo);
    return hnsw.addField(fieldInfo);
  }

  @Override
  public void mergeOneField(FieldInfo fieldInfo, MergeState mergeState) throws IOException {
    settings.writeTo(fieldInfo);
    hnsw.mergeOneField(fieldInfo, mergeState);
  }

  @Override
  public void flush(int maxDoc, Sorter.DocMap sortMap) throws IOException {
    hnsw.flush(maxDoc, sortMap);
  }

  @Override
  public void finish() throws IOException {
    hnsw.finish();
  }

  @Override
  public void close() throws IOException {
    hnsw.close();
  }

  @Override
  public long ramBytesUsed() {
    return hnsw.ramBytesUsed();
  }
}
