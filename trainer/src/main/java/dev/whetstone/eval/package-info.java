/**
 * Retrieval evaluation as trec_eval and BEIR compute it: per-query nDCG@10, MRR@10 and Recall@100,
 * their means over judged queries (missing queries count as 0), and the one-sided paired t-test
 * that decides whether a candidate beats the current model. Training measures its baselines (BM25,
 * the current model and their hybrid) and its checkpoints with these classes, and the promotion
 * gate decides on them.
 */
package dev.whetstone.eval;
