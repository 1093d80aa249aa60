package dev.whetstone.data;

/** One corpus document of a BEIR data set. */
public record BeirDocument(String id, String title, String text) {

  /** Title and text joined by a space, as the update processor joins {@code title,text}. */
  public String embeddingText() {
    return title.isBlank() ? text : text.isBlank() ? title : title + " " + text;
  }
}
