package dev.whetstone.solr;

import org.apache.lucene.search.Query;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.SyntaxError;
import org.apache.solr.search.neural.KnnQParser;

/**
 * Parser of {@link EmbedQParserPlugin}: a {@link KnnQParser} whose vector comes from embedding the
 * query text, so filtering is exactly Solr's. {@code f}, {@code model} and {@code topK} are local
 * params falling back to request params (so {@code defType=embed} works); {@code preFilter},
 * {@code includeTags} and {@code excludeTags} are local params only, as for {@code {!knn}}.
 */
public class EmbedQParser extends KnnQParser {

  private final ModelLookup models;
  private final CheckedParams checked;

  EmbedQParser(String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req,
      ModelLookup models) {
    super(qstr, localParams, params, req);
    this.models = models;
    this.checked = CheckedParams.ofRequest(SolrParams.wrapDefaults(localParams, params));
  }

  @Override
  public Query parse() throws SyntaxError {
    String text = QueryEmbedding.requireText(qstr, EmbedQParserPlugin.NAME);
    EmbeddingModel model = models.model(req.getCore(), checked.get(WhetstoneParams.MODEL));
    SchemaField field =
        QueryEmbedding.vectorField(req, checked.get(WhetstoneParams.VECTOR_FIELD), model);
    int topK = checked.positiveInt(WhetstoneParams.TOP_K, DEFAULT_TOP_K);
    Query filter = getFilterQuery();
    // embed last: a request rejected above costs no model call
    return QueryEmbedding.knnQuery(field, model.embedQuery(req, text), topK, filter);
  }
}
