package dev.whetstone.codec.gpu;

import java.util.Arrays;
import org.apache.lucene.tests.util.LuceneTestCase;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;
import org.apache.lucene.util.SparseFixedBitSet;

public class TestTopCandidatesAndDocBitset extends LuceneTestCase {
  public void testBestSkipsPaddingAndSortsBestFirst() {
    float[] keys = {0.5f, 0.9f, Float.NEGATIVE_INFINITY, 0.1f, 0.7f, 0.95f};
    int[] ords = {10, 11, -1, 13, 14, 15};
    assertArrayEquals(new int[] {15, 11, 14}, TopCandidates.best(keys, ords, 6, 3));
    assertArrayEquals(new int[] {15, 11, 14, 10, 13}, TopCandidates.best(keys, ords, 6, 10));
  }

  public void testBestMatchesAFullSort() {
    int n = atLeast(1000);
    float[] keys = new float[n];
    int[] ords = new int[n];
    for (int i = 0; i < n; i++) {
      keys[i] = random().nextFloat();
      ords[i] = i;
    }
    int count = 1 + random().nextInt(100);
    Integer[] sorted = new Integer[n];
    for (int i = 0; i < n; i++) {
      sorted[i] = i;
    }
    Arrays.sort(sorted, (a, b) -> Float.compare(keys[b], keys[a]));
    int[] expected = new int[count];
    for (int i = 0; i < count; i++) {
      expected[i] = sorted[i];
    }
    assertArrayEquals(expected, TopCandidates.best(keys, ords, n, count));
  }

  public void testWordsOfEveryKindOfBits() {
    int maxDoc = 1 + random().nextInt(500);
    FixedBitSet fixed = new FixedBitSet(maxDoc);
    SparseFixedBitSet sparse = new SparseFixedBitSet(maxDoc);
    for (int doc = 0; doc < maxDoc; doc++) {
      if (random().nextInt(3) == 0) {
        fixed.set(doc);
        sparse.set(doc);
      }
    }
    Bits plain = new Bits() {
      @Override
      public boolean get(int index) {
        return fixed.get(index);
      }

      @Override
      public int length() {
        return maxDoc;
      }
    };
    assertSame(fixed.getBits(), DocBitset.words(fixed));
    assertArrayEquals(fixed.getBits(), DocBitset.words(sparse));
    assertArrayEquals(fixed.getBits(), DocBitset.words(plain));
    assertEquals(fixed.getBits().length, DocBitset.wordCount(maxDoc));
  }
}
