package dev.whetstone.rollout;

import dev.whetstone.console.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.impl.CloudSolrClient;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * Streams every document of a source collection (cursorMark over the unique key, stored fields
 * without the vector, {@code _version_} and copyField destinations: {@link CopiedFields}) into
 * the default update chain of a target collection, which embeds each one with its own model.
 *
 * <p>Resumable: a {@link CopyCheckpoint} in the work dir holds the cursorMark up to which every
 * batch is acknowledged, and a rerun starts there. It also keeps the source's version markers
 * read (after a commit) before the first document was read, which the catch-up starts from. Batches after it may have reached the target
 * already; sending them again is harmless (same id, same text, hence the same vector).
 */
public final class CollectionCopy {
  /**
   * The outcome: documents sent by this run, and by this run and the runs it resumed together;
   * the version sent of each document written shortly before the copy or during it, which the
   * first catch-up pass need not send again (none when the run stopped early).
   */
  public record Result(long documents, long copiedInAll, double seconds,
      ShardVersions sourceVersions, Map<String, Long> recentVersions) {
    public double documentsPerSecond() {
      return seconds > 0 ? documents / seconds : 0;
    }

    @Override
    public String toString() {
      return String.format(Locale.ROOT, "%d documents in %.1f s (%.1f docs/s), %d with the runs it resumed",
          documents, seconds, documentsPerSecond(), copiedInAll);
    }
  }

  private final CloudSolrClient client;
  private final String source;
  private final String target;
  private final String vectorField;
  private final Path workDir;
  private final int threads;
  private final int batchSize;
  private final PrintStream progress;
  private final Duration margin;
  private final long stopAfterBatches;

  /**
   * @param vectorField the vector field, never copied ({@code --field}, default {@code vector})
   * @param workDir where the checkpoint file lives
   * @param progress where the progress bar goes
   * @param margin the catch-up's margin: the versions this run sends of documents written since
   *     the source's markers minus it are kept for the catch-up ({@link Result#recentVersions})
   */
  public CollectionCopy(CloudSolrClient client, String source, String target, String vectorField,
      Path workDir, int threads, int batchSize, PrintStream progress, Duration margin) {
    this(client, source, target, vectorField, workDir, threads, batchSize, progress, margin,
        Long.MAX_VALUE);
  }

  private CollectionCopy(CloudSolrClient client, String source, String target, String vectorField,
      Path workDir, int threads, int batchSize, PrintStream progress, Duration margin,
      long stopAfterBatches) {
    if (batchSize < 1) {
      throw new IllegalArgumentException("batch size must be >= 1, got " + batchSize);
    }
    if (source.equals(target)) {
      throw new IllegalArgumentException("source and target are the same collection: " + source);
    }
    this.client = client;
    this.source = source;
    this.target = target;
    this.vectorField = vectorField;
    this.workDir = workDir;
    this.threads = threads;
    this.batchSize = batchSize;
    this.progress = progress;
    this.margin = margin;
    this.stopAfterBatches = stopAfterBatches;
  }

  /**
   * The same copy, stopped (as a crash would stop it) once {@code batches} batches have been
   * read from the source: the checkpoint stays where the acknowledged ones left it.
   */
  CollectionCopy stoppingAfter(long batches) {
    return new CollectionCopy(client, source, target, vectorField, workDir, threads, batchSize,
        progress, margin, batches);
  }

  /** Whether an interrupted run of this copy left a checkpoint to resume from. */
  public boolean hasCheckpoint() {
    return new CopyCheckpoint(workDir, source, target).exists();
  }

  /** Deletes the checkpoint: the copy and what relied on its markers are done. */
  public void deleteCheckpoint() throws IOException {
    new CopyCheckpoint(workDir, source, target).delete();
  }

  /**
   * Copies from the checkpoint (or the start) to the end, then commits the target. The
   * checkpoint stays for a rerun until {@link #deleteCheckpoint}.
   */
  public Result run() throws IOException, SolrServerException, InterruptedException {
    CopiedFields fields = CopiedFields.read(client, source, vectorField);
    CopyCheckpoint checkpoint = new CopyCheckpoint(workDir, source, target);
    CopyCheckpoint.State start = checkpoint.exists() ? checkpoint.load()
        : checkpoint.start(CatchUp.markers(client, source));
    if (!checkpoint.exists()) {
      checkpoint.save(start, start.cursorMark, 0);
    }
    long total = client.query(source, new SolrQuery("*:*").setRows(0)).getResults().getNumFound();
    ProgressBar bar = new ProgressBar(progress, "docs", Math.max(total, start.copied), start.copied);
    // for each batch in flight: the cursorMark after it and the documents copied through it
    Map<Long, String> cursorAfter = new ConcurrentHashMap<>();
    Map<Long, Long> copiedThrough = new ConcurrentHashMap<>();
    Map<String, Long> recent = new HashMap<>();
    long begin = System.nanoTime();
    long sent;
    boolean complete;
    try (ParallelSender sender = new ParallelSender(client, target, fields.uniqueKey(), threads,
        upTo -> {
          long copied = copiedThrough.get(upTo);
          try {
            checkpoint.save(start, cursorAfter.get(upTo), copied);
          } catch (IOException e) {
            throw new UncheckedIOException(e);
          }
          cursorAfter.keySet().removeIf(seq -> seq <= upTo);
          copiedThrough.keySet().removeIf(seq -> seq <= upTo);
          bar.update(copied);
        })) {
      SolrQuery query = new SolrQuery("*:*")
          .setFields(fields.fieldList() + "," + CopiedFields.VERSION_FIELD).setRows(batchSize)
          .setSort(fields.uniqueKey(), SolrQuery.ORDER.asc);
      // versions from the leaders' clocks: the oldest marker less the margin bounds what is kept
      long recentFrom = new ShardVersions(source, start.sourceVersions).minusMillis(margin.toMillis())
          .byShard().values().stream().mapToLong(Long::longValue).min().orElse(0);
      long[] seq = {0};
      long[] sentSoFar = {0};
      complete = CursorScan.scan(client, source, query, start.cursorMark, (page, after) -> {
        List<SolrInputDocument> batch = new ArrayList<>(page.size());
        for (SolrDocument doc : page) {
          long version = (Long) doc.getFieldValue(CopiedFields.VERSION_FIELD);
          if (version >= recentFrom) {
            recent.put(doc.getFieldValue(fields.uniqueKey()).toString(), version);
          }
          batch.add(fields.toInput(doc));
        }
        sentSoFar[0] += batch.size();
        cursorAfter.put(seq[0], after);
        copiedThrough.put(seq[0], start.copied + sentSoFar[0]);
        sender.send(seq[0]++, batch);
        return seq[0] < stopAfterBatches;
      });
      sent = sentSoFar[0];
      sender.finish();
    }
    client.commit(target);
    double seconds = (System.nanoTime() - begin) / 1e9;
    if (complete) {
      bar.update(Math.max(total, start.copied + sent));
    } else {
      progress.println(); // ends the bar's line where the copy stopped
    }
    Result result = new Result(sent, start.copied + sent, seconds,
        new ShardVersions(source, start.sourceVersions), complete ? recent : Map.of());
    progress.println("copied " + source + " -> " + target + ": " + result);
    return result;
  }
}
