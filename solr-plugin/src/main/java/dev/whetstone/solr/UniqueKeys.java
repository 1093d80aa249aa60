package dev.whetstone.solr;

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
 * The unique keys of a page of documents, in order: from the key's docValues when it has them (a
 * lookup per document), else from stored fields (a decompressed block per document, which costs a
 * logged request about half a millisecond on a corpus with stored text and vectors).
 */
final class UniqueKeys {
  private UniqueKeys() {}

  static List<String> of(SolrIndexSearcher searcher, SchemaField key, DocList page)
      throws IOException {
    List<String> ids = new ArrayList<>(page.size());
    boolean docValues = key.hasDocValues() && key.getType() instanceof StrField;
    List<LeafReaderContext> leaves = searcher.getTopReaderContext().leaves();
    CharsRefBuilder readable = new CharsRefBuilder();
    for (DocIterator docs = page.iterator(); docs.hasNext(); ) {
      int doc = docs.nextDoc();
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
