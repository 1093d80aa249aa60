package dev.whetstone.data;

import dev.whetstone.model.DocumentText;
import java.util.List;

/** One corpus document of a BEIR data set. */
public record BeirDocument(String id, String title, String text) {

  /** Title and text as the update processor joins {@code inputFields=title,text}. */
  public String embeddingText() {
    return DocumentText.join(List.of(title, text));
  }
}
