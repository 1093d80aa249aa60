/**
 * Lucene-level hybrid search: {@link dev.whetstone.search.HybridQuery} runs a lexical and a dense
 * query, fuses their top candidates with reciprocal rank fusion or normalized linear fusion
 * ({@link dev.whetstone.search.Fusion}), and rewrites to a query matching exactly the fused
 * documents with their fused scores, so paging, sorting and filters work as for any query. For
 * SolrCloud, {@link dev.whetstone.search.FusedKeysQuery} carries the coordinator's collection-wide
 * fusion to every shard by unique key. The Solr parser that builds these queries is in
 * {@code dev.whetstone.solr.search}.
 */
package dev.whetstone.search;
