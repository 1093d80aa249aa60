package dev.whetstone.retrieval;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.PriorityQueue;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.KnnFloatVectorField;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.VectorSimilarityFunction;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.KnnFloatVectorQuery;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.store.ByteBuffersDirectory;
import org.apache.lucene.util.VectorUtil;

/**
 * Nearest documents of a fixed set of unit vectors by dot product: exact by default, or through an
 * in-memory Lucene HNSW graph ({@link #withHnsw}). Scores are dot products in both cases. Serves
 * dense mining with the current model and re-retrieval against a fixed document index.
 */
public final class DenseIndex {
  private static final String ID = "id";
  private static final String VECTOR = "vector";

  /** Orders {ordinal, float bits of score}: lower score first, then higher ordinal first. */
  private static final Comparator<int[]> WORST_FIRST = (a, b) -> {
    int byScore = Float.compare(Float.intBitsToFloat(a[1]), Float.intBitsToFloat(b[1]));
    return byScore != 0 ? byScore : Integer.compare(b[0], a[0]);
  };

  private final List<String> docIds;
  private final float[][] vectors;
  private final Map<String, Integer> ordinals;
  private final IndexSearcher hnsw;

  /** Exact search over {@code vectors[i]}, the vector of {@code docIds.get(i)}. */
  public DenseIndex(List<String> docIds, float[][] vectors) {
    this(docIds, vectors, null);
  }

  private DenseIndex(List<String> docIds, float[][] vectors, IndexSearcher hnsw) {
    if (docIds.size() != vectors.length) {
      throw new IllegalArgumentException(docIds.size() + " ids but " + vectors.length + " vectors");
    }
    this.docIds = List.copyOf(docIds);
    this.vectors = vectors;
    this.ordinals = new HashMap<>();
    for (int i = 0; i < vectors.length; i++) {
      if (ordinals.put(docIds.get(i), i) != null) {
        throw new IllegalArgumentException("duplicate document id '" + docIds.get(i) + "'");
      }
      if (vectors[i].length != vectors[0].length) {
        throw new IllegalArgumentException("vector of '" + docIds.get(i) + "' has dimension "
            + vectors[i].length + ", the first has " + vectors[0].length);
      }
      NonFiniteVectorException.check(vectors[i], "the vector of document '" + docIds.get(i) + "'");
    }
    this.hnsw = hnsw;
  }

  /** Approximate search through an HNSW graph built in memory (Lucene's default parameters). */
  public static DenseIndex withHnsw(List<String> docIds, float[][] vectors) throws IOException {
    ByteBuffersDirectory directory = new ByteBuffersDirectory();
    try (IndexWriter writer = new IndexWriter(directory, new IndexWriterConfig())) {
      for (int i = 0; i < vectors.length; i++) {
        Document doc = new Document();
        doc.add(new StoredField(ID, docIds.get(i)));
        doc.add(new KnnFloatVectorField(VECTOR, vectors[i], VectorSimilarityFunction.DOT_PRODUCT));
        writer.addDocument(doc);
      }
      writer.forceMerge(1);
    }
    return new DenseIndex(docIds, vectors, new IndexSearcher(DirectoryReader.open(directory)));
  }

  public int size() {
    return vectors.length;
  }

  /** The vector of a document; fails naming the id when it is not indexed. */
  public float[] vector(String docId) {
    Integer ordinal = ordinals.get(docId);
    if (ordinal == null) {
      throw new IllegalArgumentException("document '" + docId + "' is not in the dense index");
    }
    return vectors[ordinal];
  }

  public boolean contains(String docId) {
    return ordinals.containsKey(docId);
  }

  /** Dot product of a query vector and a document's vector. */
  public float score(float[] query, String docId) {
    return dot(query, vector(docId));
  }

  /**
   * The {@code depth} documents of highest dot product, best first (ties: lower ordinal first).
   *
   * @throws NonFiniteVectorException when the query vector has a NaN or infinite component
   */
  public List<Candidate> search(float[] query, int depth) {
    if (query.length != vectors[0].length) {
      throw new IllegalArgumentException("query vector has dimension " + query.length
          + ", the index " + vectors[0].length);
    }
    NonFiniteVectorException.check(query, "the query vector");
    int k = Math.min(depth, vectors.length);
    if (k <= 0) {
      return List.of();
    }
    return hnsw != null ? searchHnsw(query, k) : searchExact(query, k);
  }

  private List<Candidate> searchExact(float[] query, int k) {
    PriorityQueue<int[]> heap = new PriorityQueue<>(k + 1, WORST_FIRST);
    for (int i = 0; i < vectors.length; i++) {
      heap.add(new int[] {i, Float.floatToIntBits(dot(query, vectors[i]))});
      if (heap.size() > k) {
        heap.poll();
      }
    }
    int[][] best = heap.toArray(new int[0][]);
    Arrays.sort(best, WORST_FIRST.reversed());
    List<Candidate> candidates = new ArrayList<>(best.length);
    for (int[] hit : best) {
      candidates.add(new Candidate(docIds.get(hit[0]), candidates.size() + 1,
          Float.intBitsToFloat(hit[1])));
    }
    return candidates;
  }

  private List<Candidate> searchHnsw(float[] query, int k) {
    try {
      ScoreDoc[] hits = hnsw.search(new KnnFloatVectorQuery(VECTOR, query, k), k).scoreDocs;
      StoredFields stored = hnsw.storedFields();
      List<Candidate> candidates = new ArrayList<>(hits.length);
      for (ScoreDoc hit : hits) {
        String id = stored.document(hit.doc).get(ID);
        candidates.add(new Candidate(id, candidates.size() + 1, score(query, id)));
      }
      return candidates;
    } catch (IOException e) {
      throw new UncheckedIOException(e); // an in-memory index does not fail
    }
  }

  static float dot(float[] a, float[] b) {
    return VectorUtil.dotProduct(a, b);
  }
}
