/**
 * Rolling a trained model out to a live SolrCloud over HTTP only. A query tower is published to
 * Solr's file store, checked by an online gate against the serving tower, switched by a
 * collection property and verified on every replica, switching back on refusal or timeout
 * ({@link dev.whetstone.rollout.QueryTowerRollout}). A new document model instead gets a new
 * collection, filled by copy and catch-up from the serving one, gated, then swapped in behind the
 * alias ({@link dev.whetstone.rollout.FullRollout}). Every roll-out is recorded in a deployment log
 * that {@code whetstone rollback} reads.
 */
package dev.whetstone.rollout;
