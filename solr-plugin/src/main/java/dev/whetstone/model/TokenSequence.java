package dev.whetstone.model;

/**
 * One tokenized text: token ids and token type ids, special tokens included, not padded.
 *
 * @param inputIds token ids
 * @param tokenTypeIds token type (segment) ids, same length as {@code inputIds}
 */
public record TokenSequence(long[] inputIds, long[] tokenTypeIds) {
  public TokenSequence {
    if (inputIds.length != tokenTypeIds.length) {
      throw new IllegalArgumentException("inputIds has " + inputIds.length
          + " tokens but tokenTypeIds " + tokenTypeIds.length);
    }
  }

  public int length() {
    return inputIds.length;
  }
}
