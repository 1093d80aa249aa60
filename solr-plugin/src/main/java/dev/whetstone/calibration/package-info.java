/**
 * Relevance calibration of dense scores with a Cosine Adapter (Rossi et al., CIKM 2024): a small
 * network, stored in the model directory and fitted by the trainer, maps each query embedding to a
 * monotonic {@link dev.whetstone.calibration.ScoreMap} from vector score to relevance. At search
 * time {@link dev.whetstone.calibration.RelevanceScoring} holds one query's map, threshold and
 * scoring choice, and {@link dev.whetstone.calibration.CalibratedVectorQuery} wraps the kNN query
 * to drop hits below {@code minRelevance} or score them by relevance, per shard, without changing
 * which top k the kNN search finds.
 */
package dev.whetstone.calibration;
