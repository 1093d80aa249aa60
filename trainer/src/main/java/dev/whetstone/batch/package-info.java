/**
 * Turning mined queries into an epoch's training batches: each {@link
 * dev.whetstone.batch.QueryPool} holds a query's weighted positives and mined negatives, {@link
 * dev.whetstone.batch.TrainingExamples} draws one (query, positive, negatives) example per query
 * and epoch, and a {@link dev.whetstone.batch.BatchSampler} packs the examples into batches with
 * no repeated query text, either shuffled ({@link dev.whetstone.batch.DistinctQueryBatchSampler})
 * or one topic cluster per batch by spherical k-means (TAS-Balanced, {@link
 * dev.whetstone.batch.TopicBalancedBatchSampler}).
 */
package dev.whetstone.batch;
