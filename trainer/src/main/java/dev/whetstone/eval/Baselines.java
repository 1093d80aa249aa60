package dev.whetstone.eval;

/** What a trained model is measured against: BM25, the current model, and their RRF hybrid. */
public record Baselines(SplitEvaluations bm25, SplitEvaluations base, SplitEvaluations hybrid) {}
