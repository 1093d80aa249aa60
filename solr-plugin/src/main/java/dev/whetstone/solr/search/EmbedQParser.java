package dev.whetstone.solr.search;

import dev.whetstone.solr.CheckedParams;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.EmbeddingModel;
import dev.whetstone.solr.model.ModelLookup;
import org.apache.lucene.search.Query;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.SyntaxError;
import org.apache.solr.search.neural.KnnQParser;

/**
 * Parser of {@link EmbedQParserPlugin}: a {@link KnnQParser} whose vector comes from embedding the
 * query text, so filtering is exactly Solr's. {@code f}, {@code model}, {@code topK}, {@code
 * minRelevance} and {@code score} are local params falling back to request params (so {@code
 * defType=embed} works); {@code preFilter}, {@code includeTags} and {@code excludeTags} are local
 * params only, as for {@code {!knn}}.
 *
 * <p>{@code minRelevance} keeps those of the top {@code topK} hits whose calibrated relevance
 * reaches it, and {@code score=relevance} scores hits by that relevance; both need the model's
 * calibration (see {@link RelevanceParams}).
 */
public class EmbedQParser extends KnnQParser {

  /** What an {@code {!embed}} hit's score is. */
  enum Score { SIMILARITY, RELEVANCE }

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
    boolean relevanceScores =
        checked.choice(WhetstoneParams.SCORE, Score.class, Score.SIMILARITY) == Score.RELEVANCE;
    RelevanceParams relevance = RelevanceParams.read(req, checked, model, relevanceScores,
        WhetstoneParams.SCORE + "=relevance");
    Query filter = getFilterQuery();
    // embed last: a request rejected above costs no model call
    float[] vector = model.embedQuery(req, text);
    return RelevanceParams.apply(QueryEmbedding.knnQuery(field, vector, topK, filter),
        relevance.forQuery(vector));
  }
}
