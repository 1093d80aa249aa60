package dev.whetstone.model;

/**
 * How a document's fields become the one text a model embeds: each value stripped, empty ones
 * skipped, the rest joined by a space (title then text, as BEIR and MTEB embed them). Solr's update
 * processor and the trainer both join here, so a document is embedded the same way by both.
 */
public final class DocumentText {
  private DocumentText() {}

  /** The joined text; empty when every value is null or blank. */
  public static String join(Iterable<?> values) {
    StringBuilder text = new StringBuilder();
    for (Object value : values) {
      String part = value == null ? "" : value.toString().strip();
      if (!part.isEmpty()) {
        text.append(text.length() == 0 ? "" : " ").append(part);
      }
    }
    return text.toString();
  }
}
