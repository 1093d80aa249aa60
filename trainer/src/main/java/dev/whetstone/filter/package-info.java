/**
 * The rules against false negatives, unlabeled positives that mining would otherwise teach as
 * irrelevant. At mining time a {@link dev.whetstone.filter.FilterChain} applies the rank window
 * and the positive-aware margin (scored by a teacher, a guide or the model itself) to each
 * source's candidates and records every removal in an {@link dev.whetstone.filter.AuditLog}; at
 * training time {@link dev.whetstone.filter.InBatchMask} keeps each query's other positives,
 * duplicate texts and guide-flagged documents out of its in-batch negatives.
 */
package dev.whetstone.filter;
