package dev.whetstone.data;

import dev.whetstone.console.ProgressBar;
import java.io.IOException;
import java.io.PrintStream;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrQuery;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.response.QueryResponse;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.params.CursorMarkParams;

/**
 * The corpus of a live Solr collection: id, title and text of every document, read in pages with
 * {@code cursorMark} (sorted by id, so a collection of any size streams without deep paging). A
 * document without an id or text fails naming the collection, the document and the field; a missing
 * title reads as "" (as in BEIR files).
 */
public final class SolrCorpus {
  /** Documents per request unless {@link #withPageSize} says otherwise. */
  public static final int DEFAULT_PAGE_SIZE = 500;
  /** The vector field of the BEIR configset. */
  public static final String VECTOR_FIELD = "vector";

  private final SolrClient client;
  private final String collection;
  private final String idField;
  private final String titleField;
  private final String textField;
  private int pageSize = DEFAULT_PAGE_SIZE;

  /** A collection of the BEIR configset: fields {@code id}, {@code title}, {@code text}. */
  public SolrCorpus(SolrClient client, String collection) {
    this(client, collection, "id", "title", "text");
  }

  public SolrCorpus(SolrClient client, String collection, String idField, String titleField,
      String textField) {
    this.client = client;
    this.collection = collection;
    this.idField = idField;
    this.titleField = titleField;
    this.textField = textField;
  }

  public SolrCorpus withPageSize(int documents) {
    if (documents < 1) {
      throw new IllegalArgumentException("page size must be >= 1, got " + documents);
    }
    this.pageSize = documents;
    return this;
  }

  /** Every document, ordered by id. */
  public List<BeirDocument> read() throws IOException {
    return read((done, total) -> {});
  }

  /** Every document, ordered by id, with a progress bar on {@code out}. */
  public List<BeirDocument> read(PrintStream out) throws IOException {
    return read(bar(out));
  }

  /** Documents and the vectors the collection holds for them, in the same order. */
  public record Indexed(List<BeirDocument> documents, float[][] vectors) {}

  /**
   * Every document, ordered by id, with the vector indexed in its stored field {@code
   * vectorField}: what a query tower trains against, without embedding the corpus again.
   */
  public Indexed readIndexed(String vectorField, PrintStream out) throws IOException {
    List<float[]> vectors = new ArrayList<>();
    List<BeirDocument> docs = read(bar(out), vectorField,
        (doc, id) -> vectors.add(vector(doc, vectorField, id)));
    return new Indexed(docs, vectors.toArray(new float[0][]));
  }

  private static Progress bar(PrintStream out) {
    ProgressBar[] bar = new ProgressBar[1];
    return (done, total) -> {
      if (bar[0] == null) {
        bar[0] = new ProgressBar(out, "docs", total);
      }
      bar[0].update(done);
    };
  }

  /** Receives documents read so far and the collection's size after each page. */
  public interface Progress {
    void update(long done, long total);
  }

  /** Every document, ordered by id. */
  public List<BeirDocument> read(Progress progress) throws IOException {
    return read(progress, null, (doc, id) -> {});
  }

  /** What else is read of each document, beside its text. */
  private interface Extra {
    void read(SolrDocument doc, String id) throws IOException;
  }

  private List<BeirDocument> read(Progress progress, String extraField, Extra extra)
      throws IOException {
    SolrQuery query = new SolrQuery("*:*");
    query.setFields(idField, titleField, textField);
    if (extraField != null) {
      query.addField(extraField);
    }
    query.setSort(idField, SolrQuery.ORDER.asc);
    query.setRows(pageSize);
    List<BeirDocument> docs = new ArrayList<>();
    Set<String> seen = new HashSet<>();
    String cursor = CursorMarkParams.CURSOR_MARK_START;
    while (true) {
      query.set(CursorMarkParams.CURSOR_MARK_PARAM, cursor);
      QueryResponse response = query(query);
      for (SolrDocument doc : response.getResults()) {
        String id = value(doc, idField, null);
        if (id == null) {
          throw new IOException("collection '" + collection + "': a document has no field '"
              + idField + "' (the id field)");
        }
        String text = value(doc, textField, id);
        if (text == null) {
          throw new IOException("collection '" + collection + "': document '" + id
              + "' has no field '" + textField + "' (the text field; is it stored?)");
        }
        String title = value(doc, titleField, id);
        if (!seen.add(id)) {
          throw new IOException("collection '" + collection + "': duplicate id '" + id + "'");
        }
        docs.add(new BeirDocument(id, title == null ? "" : title, text));
        extra.read(doc, id);
      }
      progress.update(docs.size(), response.getResults().getNumFound());
      String next = response.getNextCursorMark();
      if (cursor.equals(next)) {
        return docs;
      }
      cursor = next;
    }
  }

  private QueryResponse query(SolrQuery query) throws IOException {
    try {
      return client.query(collection, query);
    } catch (SolrServerException | RuntimeException e) {
      throw new IOException("reading collection '" + collection + "' (fields " + idField + ", "
          + titleField + ", " + textField + ") failed: " + e.getMessage(), e);
    }
  }

  private float[] vector(SolrDocument doc, String field, String id) throws IOException {
    if (!(doc.getFieldValue(field) instanceof List<?> values) || values.isEmpty()) {
      throw new IOException("collection '" + collection + "': document '" + id + "' has no "
          + "stored vector in field '" + field + "' (is the field stored?)");
    }
    float[] vector = new float[values.size()];
    for (int i = 0; i < vector.length; i++) {
      if (!(values.get(i) instanceof Number number)) {
        throw new IOException("collection '" + collection + "': field '" + field + "' of document '"
            + id + "' holds " + values.get(i) + ", not a number");
      }
      vector[i] = number.floatValue();
    }
    return vector;
  }

  /** A field as one string: values of a multi-valued field joined by a space; null when absent. */
  private String value(SolrDocument doc, String field, String id) throws IOException {
    Object value = doc.getFieldValue(field);
    if (value == null) {
      return null;
    }
    if (value instanceof Collection<?> values) {
      List<String> parts = new ArrayList<>();
      for (Object v : values) {
        parts.add(String.valueOf(v));
      }
      return String.join(" ", parts);
    }
    if (value instanceof String || value instanceof Number) {
      return value.toString();
    }
    throw new IOException("collection '" + collection + "': field '" + field + "' of document '"
        + id + "' holds a " + value.getClass().getSimpleName() + ", not text");
  }
}
