package dev.whetstone.codec;

import dev.whetstone.codec.gpu.GpuKnn;
import dev.whetstone.codec.gpu.KnnSearchMode;
import java.io.Closeable;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.apache.lucene.codecs.lucene99.Lucene99HnswVectorsFormat;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.Term;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.TopDocs;
import org.apache.lucene.store.Directory;
import org.apache.lucene.util.VectorUtil;

/**
 * A few segments of random vectors written with {@link WhetstoneKnnVectorsFormat}: some
 * documents without a vector, some deleted, each tagged {@code even}/{@code odd} and a few {@code
 * rare}, for filters. Read near-real-time from its writer, so its searches run on the node it was
 * made with ({@link NodeTestCodec}).
 */
public final class RandomVectorIndex implements Closeable {
  public static final String FIELD = "v";
  /** The field's settings: every segment goes to the GPU, however small. */
  public static final KnnFieldSettings EVERY_SEGMENT_ON_GPU = new KnnFieldSettings(null, 1);

  public final VectorSimilarityFunction similarity;
  public final int dimension;
  public final Random random;
  public final Directory directory;
  private final IndexWriter writer;
  public final DirectoryReader reader;
  public final IndexSearcher searcher;

  /** On the JVM's node. */
  public RandomVectorIndex(Directory directory, IndexWriterConfig config, Random random,
      VectorSimilarityFunction similarity, int docs, int dimension) throws IOException {
    this(GpuKnn.node(), directory, config, random, similarity, docs, dimension);
  }

  /** Searched on {@code node}. */
  public RandomVectorIndex(GpuKnn node, Directory directory, IndexWriterConfig config,
      Random random, VectorSimilarityFunction similarity, int docs, int dimension)
      throws IOException {
    this.similarity = similarity;
    this.dimension = dimension;
    this.random = random;
    this.directory = directory;
    this.writer = new IndexWriter(directory, onNode(config, node));
    for (int i = 0; i < docs; i++) {
      Document doc = new Document();
      doc.add(new StringField("id", Integer.toString(i), Field.Store.NO));
      doc.add(new StringField("tag", i % 2 == 0 ? "even" : "odd", Field.Store.NO));
      if (i % 97 == 0) {
        doc.add(new StringField("tag", "rare", Field.Store.NO));
      }
      if (i % 20 != 7) {
        doc.add(new KnnFloatVectorField(FIELD, randomVector(), similarity));
      }
      writer.addDocument(doc);
      if (i == docs * 2 / 3 || i == docs * 5 / 6) {
        writer.commit(); // segments of unequal size, the first larger than a kernel block
      }
    }
    for (int i = 0; i < docs; i += 9) {
      writer.deleteDocuments(new Term("id", Integer.toString(i)));
    }
    reader = DirectoryReader.open(writer);
    searcher = new IndexSearcher(reader);
  }

  /**
   * {@code config} writing with Lucene's default graph parameters, every segment going to the GPU
   * however small, and read near-real-time on {@code node}.
   */
  public static IndexWriterConfig onNode(IndexWriterConfig config, GpuKnn node) {
    return config.setCodec(new NodeTestCodec(new WhetstoneKnnVectorsFormat(node,
        Lucene99HnswVectorsFormat.DEFAULT_MAX_CONN, Lucene99HnswVectorsFormat.DEFAULT_BEAM_WIDTH,
        EVERY_SEGMENT_ON_GPU)));
  }

  public float[] randomVector() {
    float[] v = new float[dimension];
    for (int i = 0; i < dimension; i++) {
      v[i] = random.nextFloat() * 2 - 1;
    }
    if (similarity == VectorSimilarityFunction.DOT_PRODUCT) {
      VectorUtil.l2normalize(v);
    }
    return v;
  }

  /**
   * One segment of 50 two-dimensional vectors for maximum inner product, which takes vectors of
   * any length: {@code (i, 1)}, but document 7 holds 70000, beyond fp16's 65504.
   */
  public static void writeBeyondFp16Segment(IndexWriter writer) throws IOException {
    for (int i = 0; i < 50; i++) {
      Document doc = new Document();
      doc.add(new KnnFloatVectorField(FIELD, new float[] {i == 7 ? 70000f : i, 1},
          VectorSimilarityFunction.MAXIMUM_INNER_PRODUCT));
      writer.addDocument(doc);
    }
    writer.forceMerge(1);
  }

  /** The filters the tests search with: none, half the documents, about 1%. */
  public static List<Query> filters() {
    List<Query> filters = new ArrayList<>();
    filters.add(null);
    filters.add(new TermQuery(new Term("tag", "odd")));
    filters.add(new TermQuery(new Term("tag", "rare")));
    return filters;
  }

  /** The top {@code k}, searched in {@code mode} (AUTO: as the field's settings say). */
  public TopDocs search(KnnSearchMode mode, float[] target, int k, Query filter) throws IOException {
    IndexSearcher in = mode == KnnSearchMode.AUTO
        ? searcher
        : new IndexSearcher(SearchModeReader.wrap(reader, mode));
    return in.search(new KnnFloatVectorQuery(FIELD, target, k, filter), k);
  }

  @Override
  public void close() throws IOException {
    reader.close();
    writer.close();
    directory.close();
  }
}
