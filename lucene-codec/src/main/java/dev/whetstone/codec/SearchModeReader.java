package dev.whetstone.codec;

import dev.whetstone.codec.gpu.KnnSearchMode;

import java.io.IOException;
import org.apache.lucene.codecs.KnnVectorsReader;
import org.apache.lucene.codecs.perfield.PerFieldKnnVectorsFormat;
import org.apache.lucene.index.CodecReader;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.FieldInfo;
import org.apache.lucene.index.FilterDirectoryReader;
import org.apache.lucene.index.FilterLeafReader;
import org.apache.lucene.index.LeafReader;
import org.apache.lucene.search.KnnCollector;
import org.apache.lucene.util.Bits;

/**
 * A view of a reader whose float kNN searches of {@link WhetstoneKnnVectorsFormat} fields all run
 * in one {@link KnnSearchMode}, whatever the field's and the node's settings say: for benchmarks
 * and tests that compare the GPU, exact and HNSW paths on one index. Searches of other fields run
 * as in the wrapped reader. The view has no cache helpers, so nothing it answers is cached.
 */
public final class SearchModeReader extends FilterDirectoryReader {
  private final KnnSearchMode mode;

  /** {@code in}, its Whetstone fields searched in {@code mode}. */
  public static DirectoryReader wrap(DirectoryReader in, KnnSearchMode mode) throws IOException {
    return new SearchModeReader(in, mode);
  }

  private SearchModeReader(DirectoryReader in, KnnSearchMode mode) throws IOException {
    super(in, new SubReaderWrapper() {
      @Override
      public LeafReader wrap(LeafReader reader) {
        return new Leaf(reader, mode);
      }
    });
    this.mode = mode;
  }

  @Override
  protected DirectoryReader doWrapDirectoryReader(DirectoryReader in) throws IOException {
    return new SearchModeReader(in, mode);
  }

  @Override
  public CacheHelper getReaderCacheHelper() {
    return null;
  }

  private static final class Leaf extends FilterLeafReader {
    private final KnnSearchMode mode;

    Leaf(LeafReader in, KnnSearchMode mode) {
      super(in);
      this.mode = mode;
    }

    @Override
    public void searchNearestVectors(String field, float[] target, KnnCollector collector,
        Bits acceptDocs) throws IOException {
      WhetstoneKnnVectorsReader reader = whetstoneReader(in, field);
      if (reader == null) {
        in.searchNearestVectors(field, target, collector, acceptDocs);
        return;
      }
      FieldInfo info = getFieldInfos().fieldInfo(field);
      if (info == null || info.getVectorDimension() == 0) {
        return; // as CodecReader: no such vector field
      }
      reader.search(mode, field, target, collector, acceptDocs);
    }

    @Override
    public CacheHelper getCoreCacheHelper() {
      return null;
    }

    @Override
    public CacheHelper getReaderCacheHelper() {
      return null;
    }
  }

  /** The segment's Whetstone reader of {@code field}, or null for a field of another format. */
  private static WhetstoneKnnVectorsReader whetstoneReader(LeafReader leaf, String field) {
    LeafReader unwrapped = FilterLeafReader.unwrap(leaf);
    if (!(unwrapped instanceof CodecReader)) {
      return null;
    }
    KnnVectorsReader vectors = ((CodecReader) unwrapped).getVectorReader();
    if (vectors instanceof PerFieldKnnVectorsFormat.FieldsReader) {
      vectors = ((PerFieldKnnVectorsFormat.FieldsReader) vectors).getFieldReader(field);
    }
    return vectors instanceof WhetstoneKnnVectorsReader ? (WhetstoneKnnVectorsReader) vectors : null;
  }
}
