package dev.whetstone.solr.update;

import dev.whetstone.model.DocumentText;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.EmbeddingModel;
import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.SolrInputDocument;
import org.apache.solr.common.SolrInputField;
import org.apache.solr.update.AddUpdateCommand;
import org.apache.solr.update.CommitUpdateCommand;
import org.apache.solr.update.DeleteUpdateCommand;
import org.apache.solr.update.MergeIndexesCommand;
import org.apache.solr.update.RollbackUpdateCommand;
import org.apache.solr.update.processor.AtomicUpdateDocumentMerger;
import org.apache.solr.update.processor.UpdateRequestProcessor;
import org.apache.solr.util.vector.DenseVectorParser;
import org.apache.solr.util.vector.FloatDenseVectorParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Buffers the documents of one update request and embeds them a batch at a time, one model call per
 * batch, before passing them on. A batch is passed on whole or not at all: when one of its documents
 * is invalid or the model fails, none of the batch reaches the index.
 */
final class EmbeddingUpdateProcessor extends UpdateRequestProcessor {
  private static final Logger log = LoggerFactory.getLogger(MethodHandles.lookup().lookupClass());

  /** A buffered add; {@code text} is null when the document needs no embedding. */
  private record Pending(AddUpdateCommand cmd, String text) {}

  private final EmbeddingModel model;
  private final List<String> inputFields;
  private final String outputField;
  private final int batchSize;
  private final boolean skipExisting;
  private final int maxTextChars;
  private final List<Pending> pending = new ArrayList<>();

  EmbeddingUpdateProcessor(UpdateRequestProcessor next, EmbeddingModel model,
      List<String> inputFields, String outputField, int batchSize, boolean skipExisting,
      int maxTextChars) {
    super(next);
    this.model = model;
    this.inputFields = inputFields;
    this.outputField = outputField;
    this.batchSize = batchSize;
    this.skipExisting = skipExisting;
    this.maxTextChars = maxTextChars;
  }

  @Override
  public void processAdd(AddUpdateCommand cmd) throws IOException {
    String text;
    try {
      text = textToEmbed(cmd);
    } catch (SolrException e) {
      pending.clear();
      throw e;
    }
    // Loaders reuse their AddUpdateCommand for the next document; the clone keeps this one's
    // document and flags (overwrite, commitWithin, route, ...).
    pending.add(new Pending((AddUpdateCommand) cmd.clone(), text));
    if (pending.size() >= batchSize) {
      flush();
    }
  }

  @Override
  public void processDelete(DeleteUpdateCommand cmd) throws IOException {
    flush();
    super.processDelete(cmd);
  }

  @Override
  public void processMergeIndexes(MergeIndexesCommand cmd) throws IOException {
    flush();
    super.processMergeIndexes(cmd);
  }

  @Override
  public void processCommit(CommitUpdateCommand cmd) throws IOException {
    flush();
    super.processCommit(cmd);
  }

  @Override
  public void processRollback(RollbackUpdateCommand cmd) throws IOException {
    flush();
    super.processRollback(cmd);
  }

  @Override
  public void finish() throws IOException {
    flush();
    super.finish();
  }

  /** The text of a document to embed; null for one that keeps its supplied vector. */
  private String textToEmbed(AddUpdateCommand cmd) {
    SolrInputDocument doc = cmd.getSolrInputDocument();
    if (AtomicUpdateDocumentMerger.isAtomicUpdate(cmd)) {
      // The full text is only known after the merge, which happens after this processor.
      for (String field : inputFields) {
        if (doc.containsKey(field)) {
          throw new SolrException(ErrorCode.BAD_REQUEST, "document '" + cmd.getPrintableId()
              + "': an atomic update cannot change input field '" + field + "' of '"
              + outputField + "'; send the whole document so it can be embedded again");
        }
      }
      return null;
    }
    SolrInputField existing = doc.getField(outputField);
    if (skipExisting && existing != null && existing.getValue() != null) {
      checkSuppliedVector(cmd, existing.getValue());
      return null;
    }
    List<Object> values = new ArrayList<>();
    for (String field : inputFields) {
      Collection<Object> fieldValues = doc.getFieldValues(field);
      if (fieldValues != null) {
        values.addAll(fieldValues);
      }
    }
    String text = DocumentText.join(values);
    if (text.isEmpty()) {
      throw new SolrException(ErrorCode.BAD_REQUEST, "document '" + cmd.getPrintableId()
          + "' has no text to embed into '" + outputField + "': input fields " + inputFields
          + " are missing or blank");
    }
    if (text.length() > maxTextChars) {
      throw new SolrException(ErrorCode.BAD_REQUEST, String.format(Locale.ROOT,
          "document '%s': the text of input fields %s is %,d characters, more than %s (%,d); the "
              + "model reads only its first %d tokens", cmd.getPrintableId(), inputFields,
          text.length(), WhetstoneParams.MAX_TEXT_CHARS, maxTextChars, model.manifest().maxLength()));
    }
    return text;
  }

  /** A vector kept by skipExisting must be one the index and the model's queries can use. */
  private void checkSuppliedVector(AddUpdateCommand cmd, Object value) {
    int dimension = model.manifest().dimension();
    float[] vector;
    try {
      vector = new FloatDenseVectorParser(dimension, value, DenseVectorParser.BuilderPhase.INDEX)
          .getFloatVector();
    } catch (SolrException e) {
      throw invalidVector(cmd, e.getMessage());
    }
    for (int i = 0; i < vector.length; i++) {
      if (!Float.isFinite(vector[i])) {
        throw invalidVector(cmd, "value " + i + " is " + vector[i]);
      }
    }
  }

  private SolrException invalidVector(AddUpdateCommand cmd, String problem) {
    return new SolrException(ErrorCode.BAD_REQUEST, "document '" + cmd.getPrintableId()
        + "' supplies an invalid vector in '" + outputField + "' (model '" + model.name()
        + "' needs " + model.manifest().dimension() + " finite values): " + problem);
  }

  private void flush() throws IOException {
    if (pending.isEmpty()) {
      return;
    }
    List<Pending> batch = new ArrayList<>(pending);
    pending.clear();
    List<Pending> toEmbed = batch.stream().filter(p -> p.text() != null).toList();
    if (!toEmbed.isEmpty()) {
      embed(toEmbed);
    }
    for (Pending p : batch) {
      super.processAdd(p.cmd());
    }
  }

  private void embed(List<Pending> docs) {
    List<String> texts = docs.stream().map(Pending::text).toList();
    long start = System.nanoTime();
    float[][] vectors;
    try {
      vectors = model.embedDocuments(texts, batchSize);
    } catch (RuntimeException e) {
      List<String> ids = docs.stream().map(p -> p.cmd().getPrintableId()).toList();
      throw new SolrException(ErrorCode.BAD_REQUEST, "model '" + model.name()
          + "' failed to embed documents " + ids + ": " + e.getMessage(), e);
    }
    for (int i = 0; i < vectors.length; i++) {
      docs.get(i).cmd().getSolrInputDocument().setField(outputField, asList(vectors[i]));
    }
    if (log.isDebugEnabled()) {
      log.debug("Embedded {} documents with model '{}' in {} ms", docs.size(), model.name(),
          (System.nanoTime() - start) / 1_000_000);
    }
  }

  private static List<Float> asList(float[] vector) {
    List<Float> list = new ArrayList<>(vector.length);
    for (float v : vector) {
      list.add(v);
    }
    return list;
  }
}
