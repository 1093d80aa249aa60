package dev.whetstone.retrieval;

import java.util.Locale;
import java.util.Set;
import java.util.StringJoiner;
import org.apache.solr.client.solrj.util.ClientUtils;

/** Turns free text into query-parser input that means "these words", nothing else. */
final class QueryText {
  private static final Set<String> OPERATORS = Set.of("AND", "OR", "NOT");

  private QueryText() {}

  /**
   * Escapes each whitespace-separated term on its own: escaping the whole text would also escape
   * the spaces, and the parser would then read the text as one term. AND, OR and NOT are
   * lowercased so they are words, not operators (they are stopwords, so analysis drops them).
   */
  static String escapeTerms(String text) {
    StringJoiner joined = new StringJoiner(" ");
    for (String term : text.trim().split("\\s+")) {
      if (OPERATORS.contains(term)) {
        joined.add(term.toLowerCase(Locale.ROOT));
      } else if (!term.isEmpty()) {
        joined.add(ClientUtils.escapeQueryChars(term));
      }
    }
    return joined.toString();
  }
}
