package dev.whetstone.train;

import dev.whetstone.data.BeirDataset;
import dev.whetstone.data.BeirDocument;
import dev.whetstone.data.Qrels;
import dev.whetstone.data.SolrCorpus;
import dev.whetstone.data.TrainingSplits;
import java.io.IOException;
import java.io.PrintStream;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.impl.Http2SolrClient;

/**
 * The corpus (from the BEIR folder or the live Solr collection), the query texts, and the
 * train/dev/test judgments, checked against each other up front.
 */
record TrainingData(List<BeirDocument> corpus, Map<String, String> queries, TrainingSplits splits,
    Map<String, String> documentTexts) {

  static TrainingData load(BeirDataset dataset, TrainingConfig config, PrintStream out)
      throws IOException {
    List<BeirDocument> corpus = config.solrUrl() == null ? dataset.corpus()
        : readCollection(config, out);
    Map<String, String> queries = dataset.queries();
    TrainingSplits splits = TrainingSplits.of(dataset, config.splits(), config.devFraction(),
        config.seed()).limitTrain(config.trainQueries());
    Map<String, String> texts = new HashMap<>();
    for (BeirDocument document : corpus) {
      texts.put(document.id(), document.embeddingText());
    }
    TrainingData data = new TrainingData(corpus, queries, splits, texts);
    String judgments = dataset.dir().resolve("qrels") + " (" + splits.origin() + ")";
    data.check("train", splits.train(), judgments);
    data.check("dev", splits.dev(), judgments);
    if (splits.test() != null) {
      data.check("test", splits.test(), judgments);
    }
    return data;
  }

  private static List<BeirDocument> readCollection(TrainingConfig config, PrintStream out)
      throws IOException {
    out.printf("Reading the corpus of collection '%s' at %s%n", config.solrCollection(),
        config.solrUrl());
    try (SolrClient client = new Http2SolrClient.Builder(config.solrUrl()).build()) {
      return new SolrCorpus(client, config.solrCollection()).read(out);
    }
  }

  private void check(String split, Qrels qrels, String file) {
    for (String query : qrels.queryIds()) {
      if (!queries.containsKey(query)) {
        throw new IllegalArgumentException(file + ": query '" + query + "' of the " + split
            + " split is not in the queries file");
      }
      if (queries.get(query) == null || queries.get(query).isBlank()) {
        throw new IllegalArgumentException("query '" + query + "' of the " + split + " split has "
            + "no text in the queries file: give it one, or remove its judgments from " + file);
      }
      for (String doc : qrels.judgments(query).keySet()) {
        if (!documentTexts.containsKey(doc)) {
          throw new IllegalArgumentException(file + ": document '" + doc + "' judged for query '"
              + query + "' is not in the corpus (" + corpus.size() + " documents)");
        }
      }
    }
  }

  List<String> documentIds() {
    return corpus.stream().map(BeirDocument::id).toList();
  }

  List<String> documentTextList() {
    return corpus.stream().map(BeirDocument::embeddingText).toList();
  }

  /** dev, then test when the data set has it. */
  Map<String, Qrels> evaluationSplits() {
    Map<String, Qrels> splits = new LinkedHashMap<>();
    splits.put("dev", this.splits.dev());
    if (this.splits.test() != null) {
      splits.put("test", this.splits.test());
    }
    return splits;
  }

  /** Query id → text for the queries a split judges, in the split's order. */
  Map<String, String> queryTexts(Qrels qrels) {
    Map<String, String> texts = new LinkedHashMap<>();
    for (String query : qrels.queryIds()) {
      texts.put(query, queries.get(query));
    }
    return texts;
  }
}
