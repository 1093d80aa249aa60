/**
 * {@code whetstone demo} and the cloud tests' setup: a local SolrCloud in this JVM with the
 * {@code conf-examples/beir} configset, BEIR documents indexed through the embedding update
 * processor (Solr computes the vectors), and query texts run in BM25, dense and hybrid modes to be
 * evaluated and compared with published nDCG@10. Also fetches SciFact and prints curl examples for
 * the running collection.
 */
package dev.whetstone.demo;
