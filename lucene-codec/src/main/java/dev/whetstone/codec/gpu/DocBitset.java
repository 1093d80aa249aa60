package dev.whetstone.codec.gpu;

import org.apache.lucene.search.DocIdSetIterator;
import org.apache.lucene.util.BitSet;
import org.apache.lucene.util.Bits;
import org.apache.lucene.util.FixedBitSet;

/** Lucene {@link Bits} as 64-bit words (bit {@code doc % 64} of word {@code doc / 64}), for the GPU. */
final class DocBitset {
  private DocBitset() {}

  /** Words needed for {@code maxDoc} documents. */
  public static int wordCount(int maxDoc) {
    return (maxDoc + 63) >>> 6;
  }

  /**
   * The words of {@code bits}: a {@link FixedBitSet}'s own array (not a copy), else a new one
   * filled from the set bits.
   */
  public static long[] words(Bits bits) {
    if (bits instanceof FixedBitSet) {
      return ((FixedBitSet) bits).getBits();
    }
    int length = bits.length();
    long[] words = new long[wordCount(length)];
    if (bits instanceof BitSet) {
      BitSet set = (BitSet) bits;
      for (int doc = set.nextSetBit(0); doc != DocIdSetIterator.NO_MORE_DOCS;
          doc = doc + 1 < length ? set.nextSetBit(doc + 1) : DocIdSetIterator.NO_MORE_DOCS) {
        words[doc >>> 6] |= 1L << doc;
      }
    } else {
      for (int doc = 0; doc < length; doc++) {
        if (bits.get(doc)) {
          words[doc >>> 6] |= 1L << doc;
        }
      }
    }
    return words;
  }
}
