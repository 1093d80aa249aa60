package dev.whetstone.retrieval;

import dev.whetstone.data.BeirDocument;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Function;

/** sha256 fingerprints that key the on-disk caches of the trainer. */
final class Digests {
  private Digests() {}

  static MessageDigest sha256() {
    try {
      return MessageDigest.getInstance("SHA-256");
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Hex sha256 of the given strings of each document, each string terminated by a NUL. */
  static String of(List<BeirDocument> corpus, Function<BeirDocument, List<String>> parts) {
    MessageDigest digest = sha256();
    for (BeirDocument doc : corpus) {
      for (String part : parts.apply(doc)) {
        digest.update(part.getBytes(StandardCharsets.UTF_8));
        digest.update((byte) 0);
      }
    }
    return HexFormat.of().formatHex(digest.digest());
  }
}
