/**
 * Locations the trainer's commands share: the models directory that pretrained models are imported
 * into on first use, and the {@code conf-examples/beir} configset of the source tree the code runs
 * from (used for mining's BM25 analysis and for the demo's SolrCloud).
 */
package dev.whetstone.workspace;
