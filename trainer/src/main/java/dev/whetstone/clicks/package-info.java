/**
 * Training from clicks ({@code whetstone train --clicks}). Click logs are read from UBI queries and
 * events (files, or the SolrCloud collections that the Solr plugin's {@code UbiComponent} and the
 * clients write) or from a simple impressions JSONL, with every dropped line accounted for.
 * Position bias is estimated (position-based model by EM, intervention harvesting, or given
 * propensities), and {@link dev.whetstone.clicks.ClickLabeler} turns clicks into
 * inverse-propensity-weighted positives and skip-above negatives, which {@link
 * dev.whetstone.clicks.ClickJudgments} presents to training as seeded train/dev judgments. Click
 * logs can also be simulated from judgments, with a known bias, to measure the labels.
 */
package dev.whetstone.clicks;
