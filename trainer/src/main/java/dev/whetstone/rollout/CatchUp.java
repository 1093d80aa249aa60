package dev.whetstone.rollout;

import java.io.IOException;
import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.params.CursorMarkParams;
import org.apache.solr.common.params.ShardParams;

/**
 * Makes a target collection equal to its source for everything written to the source since a
 * set of per-shard version markers (the start of the copy, then of each previous pass).
 *
 * <p>Changed documents: per source shard, queried alone, every document whose {@code _version_}
 * is at least that shard's marker minus a safety margin (an update that got its version just
 * before the marker may become visible just after it) is sent again through the target's chain,
 * unless an earlier pass sent that same version. Deleted documents: the unique keys of both collections, streamed in key order and merged;
 * what the target has and the source lacks is deleted from the target. Each pass first commits
 * the source (refused, and not needed, once it is fenced) and reads the markers the next pass
 * starts from.
 */
public final class CatchUp {
  /**
   * One pass: documents re-sent (the margin's included), of which changed since the pass's
   * markers, documents deleted from the target, seconds.
   */
  public record Pass(int number, long resent, long changed, long deleted, double seconds) {
    /**
     * What the source received since the previous pass: what tells whether writers have gone
     * quiet. Not the re-sent count: the margin re-sends the same recent documents each pass, and a
     * source written heavily just before the copy would otherwise never look quiet.
     */
    public long changes() {
      return changed + deleted;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "pass %d: %d re-sent (%d changed since the last pass), "
          + "%d deleted, %.1f s", number, resent, changed, deleted, seconds);
    }
  }

  private static final int ID_PAGE = 1000;

  private final CloudSolrClient client;
  private final String source;
  private final String target;
  private final CopiedFields fields;
  private final int threads;
  private final int batchSize;
  private final Duration margin;
  private final PrintStream log;
  private ShardVersions since;
  private int passes;
  /**
   * The version of each document a pass sent: the margin finds the same recent documents pass
   * after pass, and re-embedding them again would lengthen the fenced pass, while writers wait,
   * for nothing. Holds what the passes sent and the copy's recent versions, no more.
   */
  private final Map<String, Long> sentVersions = new HashMap<>();

  /**
   * @param since the source's markers from before the copy (or the previous catch-up)
   * @param margin how far before each marker changes are looked for (leader clock time)
   */
  public CatchUp(CloudSolrClient client, String source, String target, String vectorField,
      ShardVersions since, int threads, int batchSize, Duration margin, PrintStream log)
      throws IOException, SolrServerException {
    if (!since.collection().equals(source)) {
      throw new IllegalArgumentException("version markers of " + since.collection()
          + " cannot catch up from " + source);
    }
    this.client = client;
    this.source = source;
    this.target = target;
    this.fields = CopiedFields.read(client, source, vectorField);
    this.threads = threads;
    this.batchSize = batchSize;
    this.margin = margin;
    this.log = log;
    this.since = since;
  }

  /**
   * Commits the collection and reads its markers. A fenced collection refuses the commit (403);
   * its searchers already see every update, opened by the fence's reload.
   */
  public static ShardVersions markers(CloudSolrClient client, String collection)
      throws IOException, SolrServerException {
    try {
      client.commit(collection);
    } catch (SolrException e) {
      if (e.code() != 403 || !e.getMessage().contains("read-only")) {
        throw e;
      }
    }
    return ShardVersions.read(client, collection);
  }

  /** Versions the copy sent: a pass does not send them again. */
  public void alreadySent(Map<String, Long> versions) {
    sentVersions.putAll(versions);
  }

  /** The markers the next pass starts from. */
  public ShardVersions since() {
    return since;
  }

  /** Runs one pass and moves the markers to where it started. */
  public Pass pass() throws IOException, SolrServerException, InterruptedException {
    long begin = System.nanoTime();
    ShardVersions next = markers(client, source);
    ShardVersions from = since.minusMillis(margin.toMillis());
    long resent = 0;
    long changedSince = 0;
    try (ParallelSender sender = new ParallelSender(client, target, fields.uniqueKey(), threads,
        upTo -> {})) {
      long[] seq = {0};
      for (String shard : ShardVersions.shards(client, source)) {
        SolrQuery changed = new SolrQuery(CopiedFields.VERSION_FIELD + ":[" + from.of(shard) + " TO *]")
            .setFields(fields.fieldList() + "," + CopiedFields.VERSION_FIELD).setRows(batchSize)
            .setSort(fields.uniqueKey(), SolrQuery.ORDER.asc);
        changed.set(ShardParams.SHARDS, shard);
        long marker = since.of(shard);
        long[] count = {0, 0};
        CursorScan.scan(client, source, changed, CursorMarkParams.CURSOR_MARK_START, (page, after) -> {
          List<SolrInputDocument> batch = new ArrayList<>(page.size());
          for (SolrDocument doc : page) {
            long version = (Long) doc.getFieldValue(CopiedFields.VERSION_FIELD);
            if (version > marker) {
              count[1]++;
            }
            String key = doc.getFieldValue(fields.uniqueKey()).toString();
            Long sent = sentVersions.put(key, version);
            if (sent != null && sent == version) {
              continue; // this very version reached the target in an earlier pass
            }
            batch.add(fields.toInput(doc));
          }
          count[0] += batch.size();
          if (!batch.isEmpty()) {
            sender.send(seq[0]++, batch);
          }
          return true;
        });
        resent += count[0];
        changedSince += count[1];
      }
      sender.finish();
    }
    long deleted = deleteMissing();
    client.commit(target);
    since = next;
    Pass pass = new Pass(++passes, resent, changedSince, deleted, (System.nanoTime() - begin) / 1e9);
    log.println("catch-up " + source + " -> " + target + " " + pass);
    return pass;
  }

  /**
   * Passes until one finds fewer than {@code threshold} changes, at most {@code maxPasses};
   * returns them all.
   */
  public List<Pass> untilFewerThan(long threshold, int maxPasses)
      throws IOException, SolrServerException, InterruptedException {
    List<Pass> done = new ArrayList<>();
    do {
      done.add(pass());
    } while (done.get(done.size() - 1).changes() >= threshold && done.size() < maxPasses);
    return done;
  }

  /** Deletes from the target the keys the source does not have; returns how many. */
  private long deleteMissing() throws IOException, SolrServerException, InterruptedException {
    List<String> missing = new ArrayList<>();
    long deleted = 0;
    KeyStream sourceKeys = new KeyStream(source);
    KeyStream targetKeys = new KeyStream(target);
    String s = sourceKeys.next();
    String t = targetKeys.next();
    while (t != null) {
      int order = s == null ? 1 : KeyStream.compare(s, t);
      if (order == 0) {
        s = sourceKeys.next();
        t = targetKeys.next();
      } else if (order < 0) {
        s = sourceKeys.next();
      } else {
        missing.add(t);
        t = targetKeys.next();
        if (missing.size() == batchSize) {
          deleted += delete(missing);
        }
      }
    }
    return deleted + delete(missing);
  }

  private int delete(List<String> keys) throws IOException, SolrServerException {
    int n = keys.size();
    if (n > 0) {
      client.deleteById(target, new ArrayList<>(keys));
      keys.clear();
    }
    return n;
  }

  /**
   * A collection's unique keys in ascending order, a page at a time. Solr orders string keys by
   * their UTF-8 bytes, which is code point order; a key out of that order is an error (the merge
   * needs a string unique key), never a silent wrong delete.
   */
  private final class KeyStream {
    private final String collection;
    private final SolrQuery query;
    private String cursor = CursorMarkParams.CURSOR_MARK_START;
    private Iterator<SolrDocument> page = List.<SolrDocument>of().iterator();
    private boolean exhausted;
    private String last;

    KeyStream(String collection) {
      this.collection = collection;
      this.query = CursorScan.fromLeaders(new SolrQuery("*:*").setFields(fields.uniqueKey())
          .setRows(ID_PAGE).setSort(fields.uniqueKey(), SolrQuery.ORDER.asc));
    }

    /** The next key, or null at the end. */
    String next() throws IOException, SolrServerException {
      if (!page.hasNext() && !exhausted) {
        query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
        var response = client.query(collection, query);
        page = response.getResults().iterator();
        exhausted = cursor.equals(response.getNextCursorMark());
        cursor = response.getNextCursorMark();
      }
      if (!page.hasNext()) {
        return null;
      }
      String key = page.next().getFieldValue(fields.uniqueKey()).toString();
      if (last != null && compare(last, key) >= 0) {
        throw new IllegalStateException("collection " + collection + " returned unique key '" + key
            + "' after '" + last + "': the catch-up needs a string unique key sorted by code point");
      }
      last = key;
      return key;
    }

    static int compare(String a, String b) {
      int i = 0;
      int j = 0;
      while (i < a.length() && j < b.length()) {
        int ca = a.codePointAt(i);
        int cb = b.codePointAt(j);
        if (ca != cb) {
          return Integer.compare(ca, cb);
        }
        i += Character.charCount(ca);
        j += Character.charCount(cb);
      }
      return Integer.compare(a.length() - i, b.length() - j);
    }
  }
}
