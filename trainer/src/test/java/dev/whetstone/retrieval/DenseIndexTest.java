package dev.whetstone.retrieval;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.stream.IntStream;
import org.junit.Test;

public class DenseIndexTest {
  private static float[][] unitVectors(int n, int dim, Random random) {
    float[][] vectors = new float[n][dim];
    for (float[] v : vectors) {
      double norm = 0;
      for (int d = 0; d < dim; d++) {
        v[d] = (float) random.nextGaussian();
        norm += v[d] * v[d];
      }
      for (int d = 0; d < dim; d++) {
        v[d] /= (float) Math.sqrt(norm);
      }
    }
    return vectors;
  }

  @Test
  public void exactSearchIsTheTopKByDotProduct() {
    Random random = new Random(1);
    float[][] vectors = unitVectors(500, 32, random);
    List<String> ids = IntStream.range(0, 500).mapToObj(i -> "d" + i).toList();
    DenseIndex index = new DenseIndex(ids, vectors);
    float[] query = unitVectors(1, 32, random)[0];
    List<Integer> byScore = new ArrayList<>(IntStream.range(0, 500).boxed().toList());
    byScore.sort(Comparator.comparingDouble(i -> -DenseIndex.dot(query, vectors[i])));
    List<Candidate> top = index.search(query, 10);
    assertEquals(10, top.size());
    for (int r = 0; r < 10; r++) {
      assertEquals("d" + byScore.get(r), top.get(r).docId());
      assertEquals(r + 1, top.get(r).rank());
      assertEquals(DenseIndex.dot(query, vectors[byScore.get(r)]), top.get(r).score(), 0f);
    }
    assertEquals(500, index.search(query, 1000).size());
    assertThrows(IllegalArgumentException.class, () -> index.vector("nope"));
    assertThrows(IllegalArgumentException.class, () -> new DenseIndex(List.of("a", "a"), unitVectors(2, 4, random)));
  }

  @Test
  public void hnswFindsNearlyTheExactNeighboursWithDotProductScores() throws Exception {
    Random random = new Random(2);
    float[][] vectors = unitVectors(2000, 16, random);
    List<String> ids = IntStream.range(0, 2000).mapToObj(i -> "d" + i).toList();
    DenseIndex exact = new DenseIndex(ids, vectors);
    DenseIndex hnsw = DenseIndex.withHnsw(ids, vectors);
    int found = 0;
    for (int q = 0; q < 20; q++) {
      float[] query = unitVectors(1, 16, random)[0];
      Set<String> truth = new HashSet<>();
      exact.search(query, 10).forEach(c -> truth.add(c.docId()));
      for (Candidate c : hnsw.search(query, 10)) {
        found += truth.contains(c.docId()) ? 1 : 0;
        assertEquals(DenseIndex.dot(query, hnsw.vector(c.docId())), c.score(), 1e-6f);
      }
    }
    assertTrue("recall@10 " + found / 200.0, found >= 180);
  }

  @Test
  public void nonFiniteVectorsNeverReachASearch() {
    Random random = new Random(3);
    float[][] vectors = unitVectors(4, 8, random);
    List<String> ids = List.of("a", "b", "c", "d");
    vectors[2][5] = Float.NaN;
    NonFiniteVectorException document =
        assertThrows(NonFiniteVectorException.class, () -> new DenseIndex(ids, vectors));
    assertTrue(document.getMessage(), document.getMessage().contains("document 'c'"));

    vectors[2][5] = 0;
    DenseIndex index = new DenseIndex(ids, vectors);
    float[] query = unitVectors(1, 8, random)[0];
    query[0] = Float.POSITIVE_INFINITY;
    NonFiniteVectorException search =
        assertThrows(NonFiniteVectorException.class, () -> index.search(query, 2));
    assertTrue(search.getMessage(), search.getMessage().contains("query vector"));
  }
}
