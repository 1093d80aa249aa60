/**
 * Reading training and evaluation data: BEIR data set folders (corpus, queries and qrels), or a
 * live Solr collection's corpus streamed with {@code cursorMark}, and the train/dev/test judgments
 * taken from the qrels files or carved with seeded {@link dev.whetstone.data.SplitRatios}. This is
 * the input end of the trainer's data flow: mining, training, evaluation and calibration all read
 * their documents, queries and judgments through it. Malformed input fails naming its file and line
 * or record.
 */
package dev.whetstone.data;
