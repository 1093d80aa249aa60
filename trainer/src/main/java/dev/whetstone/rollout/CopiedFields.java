package dev.whetstone.rollout;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import org.apache.solr.client.solrj.SolrClient;
import org.apache.solr.client.solrj.SolrServerException;
import org.apache.solr.client.solrj.request.schema.SchemaRequest;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrInputDocument;

/**
 * Which stored fields of a source document go to the target collection: all but the vector
 * field, {@code _version_} and every copyField destination (from the source's Schema API), so
 * the target's update chain embeds the text again with its own model and fills its copyFields
 * itself. A document that arrived with a vector would keep it (the processor's skipExisting).
 */
final class CopiedFields {
  static final String VERSION_FIELD = "_version_";

  private final String uniqueKey;
  private final Set<String> dropped;
  private final List<Pattern> droppedPatterns;
  private final String fieldList;

  private CopiedFields(String uniqueKey, Set<String> dropped, List<Pattern> droppedPatterns,
      List<String> fieldsAndGlobs) {
    this.uniqueKey = uniqueKey;
    this.dropped = dropped;
    this.droppedPatterns = droppedPatterns;
    this.fieldList = String.join(",", fieldsAndGlobs.stream().filter(f -> !isDropped(f)).toList());
  }

  /** Reads the schema of {@code collection}; {@code vectorField} must be one of its fields. */
  static CopiedFields read(SolrClient client, String collection, String vectorField)
      throws IOException, SolrServerException {
    String uniqueKey = new SchemaRequest.UniqueKey().process(client, collection).getUniqueKey();
    List<Map<String, Object>> fields = new SchemaRequest.Fields().process(client, collection).getFields();
    if (fields.stream().noneMatch(f -> vectorField.equals(f.get("name")))) {
      throw new IllegalArgumentException("the schema of collection " + collection
          + " has no field " + vectorField + " (--field)");
    }
    Set<String> dropped = new HashSet<>(Set.of(vectorField, VERSION_FIELD));
    List<Pattern> patterns = new ArrayList<>();
    for (Map<String, Object> copy : new SchemaRequest.CopyFields().process(client, collection).getCopyFields()) {
      String dest = (String) copy.get("dest");
      if (dest.contains("*")) {
        patterns.add(Pattern.compile(Pattern.quote(dest).replace("*", "\\E.*\\Q")));
      } else {
        dropped.add(dest);
      }
    }
    List<String> requested = new ArrayList<>();
    fields.forEach(f -> requested.add((String) f.get("name")));
    new SchemaRequest.DynamicFields().process(client, collection).getDynamicFields()
        .forEach(f -> requested.add((String) f.get("name")));
    return new CopiedFields(uniqueKey, dropped, patterns, requested);
  }

  /**
   * The {@code fl} of a copy: every field and dynamic-field glob of the schema but the dropped
   * ones. Not {@code *}: the stored vector (1.5 KB a document at 384 dimensions) would be read
   * from the source's stored fields and sent only to be dropped here. A document whose dynamic
   * field matches a dropped name is still filtered by {@link #toInput}.
   */
  String fieldList() {
    return fieldList;
  }

  String uniqueKey() {
    return uniqueKey;
  }

  boolean isDropped(String field) {
    return dropped.contains(field) || droppedPatterns.stream().anyMatch(p -> p.matcher(field).matches());
  }

  /** The document to send: its stored fields less the dropped ones. */
  SolrInputDocument toInput(SolrDocument doc) {
    SolrInputDocument input = new SolrInputDocument();
    doc.forEach((name, value) -> {
      if (!isDropped(name)) {
        input.addField(name, value);
      }
    });
    return input;
  }
}
