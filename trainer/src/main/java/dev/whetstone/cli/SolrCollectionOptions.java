package dev.whetstone.cli;

import picocli.CommandLine.Option;

/** A live Solr collection to read the corpus from and to mine BM25 in. */
final class SolrCollectionOptions {
  @Option(names = "--solr-url", required = true, paramLabel = "URL",
      description = "e.g. http://localhost:8983/solr")
  String url;

  @Option(names = "--collection", required = true, description = "a collection of the beir configset")
  String collection;
}
