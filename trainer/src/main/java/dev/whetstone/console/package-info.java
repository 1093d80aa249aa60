/**
 * Console output of long-running commands: a self-overwriting progress line, and the redirection
 * of library logging (Solr, ZooKeeper, Jetty, Lucene, DJL) to a log file so the console keeps the
 * job's own progress and tables.
 */
package dev.whetstone.console;
