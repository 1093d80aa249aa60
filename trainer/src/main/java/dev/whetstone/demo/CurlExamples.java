package dev.whetstone.demo;

import dev.whetstone.retrieval.RetrievalMode;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

/** Copy-paste curl commands for a collection's three retrieval modes. */
public final class CurlExamples {
  private CurlExamples() {}

  /** One command: the mode's local params in {@code q} and the text in {@code qq}. */
  public static String command(String baseUrl, String collection, RetrievalMode mode, String text) {
    String encodedCollection = URLEncoder.encode(collection, StandardCharsets.UTF_8);
    return "curl -sG '" + baseUrl + "/" + encodedCollection + "/select'"
        + " --data-urlencode " + shellQuote("q=" + mode.localParams())
        + " --data-urlencode " + shellQuote(RetrievalMode.TEXT_PARAM + "=" + mode.queryText(text))
        + " -d fl=id,title,score -d rows=5";
  }

  /** Single-quoted for sh/bash: nothing inside is expanded ({@code !}, {@code $} included). */
  static String shellQuote(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }
}
