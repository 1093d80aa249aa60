package dev.whetstone.solr.search;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.apache.lucene.document.Document;
import org.apache.lucene.index.DocValues;
import org.apache.lucene.index.LeafReaderContext;
import org.apache.lucene.index.ReaderUtil;
import org.apache.lucene.index.SortedDocValues;
import org.apache.lucene.util.CharsRefBuilder;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.schema.StrField;
import org.apache.solr.search.DocIterator;
import org.apache.solr.search.DocList;
import org.apache.solr.search.SolrIndexSearcher;

/**
 * The unique keys of documents, in order: from the key's docValues when it has them (a lookup per
 * document), else from stored fields (a decompressed block per document: on a corpus with stored
 * text and vectors, about half a millisecond for a page of 10).
 */
public final class UniqueKeys {
  private UniqueKeys() {}

  public static List<String> of(SolrIndexSearcher searcher, SchemaField key, DocList page)
      throws IOException {
    int[] docs = new int[page.size()];
    DocIterator iterator = page.iterator();
    for (int i = 0; i < docs.length; i++) {
      docs[i] = iterator.nextDoc();
    }
    return of(searcher, key, docs);
  }

  /** The unique keys of top-level doc ids, in order. */
  public static List<String> of(SolrIndexSearcher searcher, SchemaField key, int[] docIds)
      throws IOException {
    List<String> ids = new ArrayList<>(docIds.length);
    boolean docValues = key.hasDocValues() && key.getType() instanceof StrField;
    List<LeafReaderContext> leaves = searcher.getTopReaderContext().leaves();
    CharsRefBuilder readable = new CharsRefBuilder();
    for (int doc : docIds) {
      if (docValues) {
        LeafReaderContext leaf = leaves.get(ReaderUtil.subIndex(doc, leaves));
        SortedDocValues values = DocValues.getSorted(leaf.reader(), key.getName());
        if (values.advanceExact(doc - leaf.docBase)) {
          ids.add(key.getType().indexedToReadable(values.lookupOrd(values.ordValue()), readable)
              .toString());
        }
      } else {
        Document stored = searcher.getDocFetcher().doc(doc, Set.of(key.getName()));
        ids.add(key.getType().toExternal(stored.getField(key.getName())));
      }
    }
    return ids;
  }
}
