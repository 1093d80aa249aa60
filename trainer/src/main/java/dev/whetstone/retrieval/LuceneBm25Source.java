package dev.whetstone.retrieval;

import dev.whetstone.data.BeirDocument;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.LongConsumer;
import org.apache.lucene.analysis.Analyzer;
import org.apache.lucene.analysis.TokenStream;
import org.apache.lucene.analysis.tokenattributes.CharTermAttribute;
import org.apache.lucene.document.Document;
import org.apache.lucene.document.Field;
import org.apache.lucene.document.StoredField;
import org.apache.lucene.document.StringField;
import org.apache.lucene.document.TextField;
import org.apache.lucene.index.DirectoryReader;
import org.apache.lucene.index.IndexWriter;
import org.apache.lucene.index.IndexWriterConfig;
import org.apache.lucene.index.StoredFields;
import org.apache.lucene.index.Term;
import org.apache.lucene.search.BooleanClause;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.DisjunctionMaxQuery;
import org.apache.lucene.search.IndexSearcher;
import org.apache.lucene.search.Query;
import org.apache.lucene.search.ScoreDoc;
import org.apache.lucene.search.TermQuery;
import org.apache.lucene.search.similarities.Similarity;
import org.apache.lucene.store.Directory;
import org.apache.lucene.store.FSDirectory;
import org.apache.solr.schema.IndexSchema;

/**
 * BM25 over a Lucene index the trainer builds itself, analyzed and scored exactly like a
 * collection of the configset: field analyzers and similarity come from the configset's schema via
 * Solr's schema classes, and a query is what the configset's BM25 mode sends (edismax over title and
 * text with tie=1.0): per query term, the sum of its title and text scores.
 *
 * <p>The index is reused while its commit records the same corpus and configset fingerprints.
 */
public final class LuceneBm25Source implements CandidateSource {
  static final String ID = "id";
  static final String TITLE = "title";
  static final String TEXT = "text";
  private static final String CORPUS_KEY = "whetstone.corpus";
  private static final String CONFIG_KEY = "whetstone.configset";
  private static final List<String> FIELDS = List.of(TITLE, TEXT);

  private final Directory directory;
  private final DirectoryReader reader;
  private final IndexSearcher searcher;
  private final Analyzer queryAnalyzer;

  private LuceneBm25Source(Directory directory, IndexSchema schema) throws IOException {
    this.directory = directory;
    this.reader = DirectoryReader.open(directory);
    this.searcher = new IndexSearcher(reader);
    this.searcher.setSimilarity(schema.getSimilarity());
    this.queryAnalyzer = schema.getQueryAnalyzer();
  }

  /** Opens the index in {@code indexDir}, (re)building it first unless it is up to date. */
  public static LuceneBm25Source open(Path indexDir, List<BeirDocument> corpus, Path confDir)
      throws IOException {
    return open(indexDir, corpus, confDir, done -> {});
  }

  /**
   * Opens the index in {@code indexDir}, (re)building it first unless it is up to date.
   *
   * @param progress told the number of documents indexed so far while it builds
   */
  public static LuceneBm25Source open(Path indexDir, List<BeirDocument> corpus, Path confDir,
      LongConsumer progress) throws IOException {
    IndexSchema schema = ConfigSetSchema.load(confDir);
    for (String field : FIELDS) {
      if (schema.getFieldOrNull(field) == null) {
        throw new IOException("the schema of " + confDir + " has no field '" + field + "'");
      }
    }
    Map<String, String> stamp = Map.of(
        CORPUS_KEY, Digests.of(corpus, d -> List.of(d.id(), d.title(), d.text())),
        CONFIG_KEY, ConfigSetSchema.fingerprint(confDir));
    Directory directory = FSDirectory.open(indexDir);
    try {
      if (!upToDate(directory, stamp)) {
        build(directory, schema, corpus, stamp, progress);
      }
      return new LuceneBm25Source(directory, schema);
    } catch (IOException | RuntimeException e) {
      directory.close();
      throw e;
    }
  }

  private static boolean upToDate(Directory directory, Map<String, String> stamp) throws IOException {
    if (!DirectoryReader.indexExists(directory)) {
      return false;
    }
    try (DirectoryReader reader = DirectoryReader.open(directory)) {
      Map<String, String> data = reader.getIndexCommit().getUserData();
      return stamp.entrySet().stream().allMatch(e -> e.getValue().equals(data.get(e.getKey())));
    }
  }

  private static void build(Directory directory, IndexSchema schema, List<BeirDocument> corpus,
      Map<String, String> stamp, LongConsumer progress) throws IOException {
    Similarity similarity = schema.getSimilarity();
    IndexWriterConfig config = new IndexWriterConfig(schema.getIndexAnalyzer())
        .setOpenMode(IndexWriterConfig.OpenMode.CREATE)
        .setSimilarity(similarity)
        .setRAMBufferSizeMB(64);
    try (IndexWriter writer = new IndexWriter(directory, config)) {
      long done = 0;
      for (BeirDocument doc : corpus) {
        Document lucene = new Document();
        lucene.add(new StringField(ID, doc.id(), Field.Store.NO));
        lucene.add(new StoredField(ID, doc.id()));
        // as BeirIndexer sends them: no title field when the title is empty
        if (!doc.title().isEmpty()) {
          lucene.add(new TextField(TITLE, doc.title(), Field.Store.NO));
        }
        lucene.add(new TextField(TEXT, doc.text(), Field.Store.NO));
        writer.addDocument(lucene);
        progress.accept(++done);
      }
      writer.setLiveCommitData(stamp.entrySet());
      writer.forceMerge(1);
      writer.commit();
    }
  }

  @Override
  public String name() {
    return "bm25";
  }

  @Override
  public List<Candidate> candidates(String queryText, int depth) throws IOException {
    Query query = query(queryText);
    if (query == null || depth <= 0) {
      return List.of();
    }
    ScoreDoc[] hits = searcher.search(query, depth).scoreDocs;
    StoredFields stored = searcher.storedFields();
    List<Candidate> candidates = new ArrayList<>(hits.length);
    for (int i = 0; i < hits.length; i++) {
      String id = stored.document(hits[i].doc).get(ID);
      candidates.add(new Candidate(id, i + 1, hits[i].score));
    }
    return candidates;
  }

  /**
   * What edismax builds for {@code qf="title text" tie=1.0} with split-on-whitespace off: one
   * SHOULD clause per analyzed query token (repeats included), each a dismax over the two fields
   * whose tie of 1.0 sums them; null when analysis leaves no token.
   */
  Query query(String text) {
    List<String> titleTokens = tokens(TITLE, text);
    List<String> textTokens = tokens(TEXT, text);
    if (!titleTokens.equals(textTokens)) {
      throw new IllegalStateException("fields " + TITLE + " and " + TEXT
          + " analyze queries differently; the configset's BM25 mode needs one field type");
    }
    if (textTokens.isEmpty()) {
      return null;
    }
    BooleanQuery.Builder query = new BooleanQuery.Builder();
    for (String token : textTokens) {
      List<Query> perField = List.of(new TermQuery(new Term(TITLE, token)),
          new TermQuery(new Term(TEXT, token)));
      query.add(new DisjunctionMaxQuery(perField, 1.0f), BooleanClause.Occur.SHOULD);
    }
    return query.build();
  }

  private List<String> tokens(String field, String text) {
    List<String> tokens = new ArrayList<>();
    try (TokenStream stream = queryAnalyzer.tokenStream(field, text)) {
      CharTermAttribute term = stream.addAttribute(CharTermAttribute.class);
      stream.reset();
      while (stream.incrementToken()) {
        tokens.add(term.toString());
      }
      stream.end();
    } catch (IOException e) {
      throw new UncheckedIOException(e); // a string reader does not fail
    }
    return tokens;
  }

  /** Documents in the index. */
  public int size() {
    return reader.numDocs();
  }

  @Override
  public void close() throws IOException {
    try {
      reader.close();
    } finally {
      directory.close();
    }
  }
}
