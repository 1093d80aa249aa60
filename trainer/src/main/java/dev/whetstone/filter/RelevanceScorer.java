package dev.whetstone.filter;

/** Scores how well a corpus document answers a query text: a teacher, guide or the model itself. */
public interface RelevanceScorer {
  /** Recorded in audit files, e.g. {@code bge-small-en-v1.5}. */
  String name();

  float score(String queryText, String docId);
}
