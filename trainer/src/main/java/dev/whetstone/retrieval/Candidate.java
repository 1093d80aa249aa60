package dev.whetstone.retrieval;

/**
 * A document a candidate source ranked for a query.
 *
 * @param rank 1-based rank within its source; 0 for an unranked (random) negative
 * @param score the source's score (BM25, dot product); 0 for a random negative
 */
public record Candidate(String docId, int rank, float score) {}
