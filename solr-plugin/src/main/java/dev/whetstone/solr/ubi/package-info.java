/**
 * User Behavior Insights: {@link dev.whetstone.solr.ubi.UbiComponent} (a search component) gives
 * {@code ubi=true} requests a query id and records what each search showed, in a bounded queue
 * that {@code UbiLog} drains in the background into a logger or a collection, which the trainer's
 * click training reads.
 */
package dev.whetstone.solr.ubi;
