/**
 * Searching with the models: the {@code {!embed}} query parser ({@link
 * dev.whetstone.solr.search.EmbedQParserPlugin}, a {@code {!knn}} whose vector comes from embedding
 * the query text), the {@code {!hybrid}} query parser ({@link
 * dev.whetstone.solr.search.HybridQParserPlugin}, lexical and dense candidates fused into a {@link
 * dev.whetstone.search.HybridQuery}), with the calibrated-relevance options they share ({@code
 * RelevanceParams}), and {@link dev.whetstone.solr.search.HybridFusionComponent}, which makes a
 * {@code {!hybrid}} query fuse over the whole SolrCloud collection (each shard's candidates by
 * unique key, {@code HybridCandidates}, {@link dev.whetstone.solr.search.UniqueKeys}; fused on the
 * coordinator by {@code CollectionFusion}, ranked there by {@code CoordinatorRanking} or sent to
 * the shards as {@code FusedScores}; shard requests built by {@code HybridShardRequests}).
 */
package dev.whetstone.solr.search;
