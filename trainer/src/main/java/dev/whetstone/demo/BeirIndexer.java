package dev.whetstone.demo;

import dev.whetstone.data.BeirDocument;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.function.LongConsumer;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.common.SolrInputDocument;

/**
 * Sends BEIR documents (id, title, text) to a collection in batches and commits. The vectors are
 * not sent: the collection's update processor embeds each document on the node that receives it.
 */
public final class BeirIndexer {
  public static final int DEFAULT_BATCH_SIZE = 64;

  private final SolrClient client;
  private final String collection;
  private final int batchSize;

  public BeirIndexer(SolrClient client, String collection, int batchSize) {
    if (batchSize <= 0) {
      throw new IllegalArgumentException("batchSize must be > 0, got " + batchSize);
    }
    this.client = client;
    this.collection = collection;
    this.batchSize = batchSize;
  }

  /**
   * Indexes and commits; {@code progress} receives the number of documents done after each batch.
   *
   * @return seconds spent, commit included
   */
  public double index(List<BeirDocument> documents, LongConsumer progress)
      throws IOException, SolrServerException {
    long start = System.nanoTime();
    List<SolrInputDocument> batch = new ArrayList<>(batchSize);
    long done = 0;
    for (BeirDocument doc : documents) {
      batch.add(toSolr(doc));
      if (batch.size() == batchSize) {
        done += send(batch);
        progress.accept(done);
      }
    }
    if (!batch.isEmpty()) {
      done += send(batch);
      progress.accept(done);
    }
    client.commit(collection);
    return (System.nanoTime() - start) / 1e9;
  }

  private int send(List<SolrInputDocument> batch) throws IOException, SolrServerException {
    int n = batch.size();
    client.add(collection, batch);
    batch.clear();
    return n;
  }

  public static SolrInputDocument toSolr(BeirDocument doc) {
    SolrInputDocument solr = new SolrInputDocument();
    solr.addField("id", doc.id());
    if (!doc.title().isEmpty()) {
      solr.addField("title", doc.title());
    }
    solr.addField("text", doc.text());
    return solr;
  }
}
