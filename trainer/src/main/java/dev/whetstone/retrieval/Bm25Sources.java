package dev.whetstone.retrieval;

import dev.whetstone.console.ProgressBar;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.workspace.BeirConfigSet;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;

/** The BM25 source of a mining run: the live collection when there is one, else a Lucene index. */
public final class Bm25Sources {
  private Bm25Sources() {}

  /**
   * BM25 from the collection at {@code solrUrl}, through a client the source closes; or, when
   * {@code solrUrl} is null, over a Lucene index of {@code corpus} in {@code indexDir} analyzed as
   * the BEIR configset of the checkout, (re)built with a progress bar on {@code out} when stale.
   */
  public static CandidateSource open(String solrUrl, String collection, Path indexDir,
      List<BeirDocument> corpus, PrintStream out) throws IOException {
    if (solrUrl != null) {
      return SolrBm25Source.connect(solrUrl, collection);
    }
    out.printf("BM25 index of %d documents in %s%n", corpus.size(), indexDir);
    ProgressBar bar = new ProgressBar(out, "docs", corpus.size());
    return LuceneBm25Source.open(indexDir, corpus, BeirConfigSet.locate(), bar::update);
  }
}
