/**
 * The training losses over one batch's score matrix (queries × batch documents): InfoNCE with
 * in-batch and hard negatives, where documents the in-batch mask excludes take no part in a query's
 * softmax, and listwise score distillation from a teacher's scores (KL divergence between
 * softmaxes at their own temperatures). A training step minimizes InfoNCE plus the weighted
 * distillation loss ({@code dev.whetstone.train.BatchLoss}).
 */
package dev.whetstone.loss;
