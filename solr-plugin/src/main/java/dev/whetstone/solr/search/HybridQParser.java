package dev.whetstone.solr.search;

import dev.whetstone.calibration.RelevanceScoring;
import dev.whetstone.search.Fusion;
import dev.whetstone.search.HybridQuery;
import dev.whetstone.search.LinearFusion;
import dev.whetstone.search.ReciprocalRankFusion;
import dev.whetstone.solr.CheckedParams;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.model.EmbeddingModel;
import dev.whetstone.solr.model.ModelLookup;
import org.apache.lucene.search.BooleanClause.Occur;
import org.apache.lucene.search.BooleanQuery;
import org.apache.lucene.search.MatchNoDocsQuery;
import org.apache.lucene.search.Query;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.DisMaxParams;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.schema.SchemaField;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QParserPlugin;
import org.apache.solr.search.SyntaxError;
import org.apache.solr.search.neural.AbstractVectorQParserBase;

/**
 * Parser of {@link HybridQParserPlugin}, building a {@link HybridQuery}. Parameters (see {@link
 * WhetstoneParams}) are local params falling back to request params: {@code f}, {@code model},
 * {@code topK} (the dense side's kNN topK), {@code lexicalQuery}, {@code lexicalDefType}, {@code
 * lexicalQf}, {@code lexicalDocs}, {@code fusion}, {@code rrfK}, {@code normalization}, {@code
 * lexicalWeight}, {@code denseWeight}, {@code minRelevance}.
 *
 * <p>{@code minRelevance} drops the dense candidates whose calibrated relevance is below it before
 * fusion (documents the lexical side found stay); {@code fusion=linear normalization=relevance}
 * adds the dense side's calibrated relevance as it is, and the lexical side's min-max normalized
 * scores. Both need the model's calibration (see {@link RelevanceParams}).
 *
 * <p>Filters restrict the candidates of both sides, with the semantics of {@code {!knn}}: by
 * default the request's {@code fq}s, or the local params {@code preFilter}, {@code includeTags},
 * {@code excludeTags} (local only, as for {@code {!knn}}). They are a FILTER clause on the lexical
 * side and the kNN pre-filter on the dense side, so a window is never emptied by a filter applied
 * after it was taken. In SolrCloud each shard fuses its own candidates (RRF over per-shard ranks,
 * normalization over per-shard scores) unless {@link HybridFusionComponent} is in the handler's
 * first-components: then the coordinator fuses the whole collection's candidates once. The text
 * is embedded once, on the coordinator.
 */
public class HybridQParser extends AbstractVectorQParserBase {
  static final int DEFAULT_WINDOW = 100;

  private final ModelLookup models;
  private final CheckedParams checked;

  HybridQParser(String qstr, SolrParams localParams, SolrParams params, SolrQueryRequest req,
      ModelLookup models) {
    super(qstr, localParams, params, req);
    this.models = models;
    this.checked = CheckedParams.ofRequest(SolrParams.wrapDefaults(localParams, params));
  }

  /**
   * What a hybrid query asks for, checked, with its text embedded: the one place both the local
   * fusion ({@link #parse}) and the collection-wide fusion ({@link HybridFusionComponent}) read
   * the parameters from. {@code relevance}: what the dense side keeps and how it scores by
   * calibrated relevance, or null when the query asks nothing of the calibration.
   */
  record Plan(String lexicalText, String lexicalDefType, String lexicalQf, SchemaField field,
      float[] vector, int lexicalWindow, int denseWindow, Fusion fusion, double lexicalWeight,
      double denseWeight, RelevanceScoring relevance) {}

  Plan plan() {
    String text = QueryEmbedding.requireText(qstr, HybridQParserPlugin.NAME);
    EmbeddingModel model = models.model(req.getCore(), checked.get(WhetstoneParams.MODEL));
    SchemaField field =
        QueryEmbedding.vectorField(req, checked.get(WhetstoneParams.VECTOR_FIELD), model);
    int lexicalWindow = checked.positiveInt(WhetstoneParams.LEXICAL_DOCS, DEFAULT_WINDOW);
    int denseWindow = checked.positiveInt(WhetstoneParams.TOP_K, DEFAULT_WINDOW);
    Fusion fusion = fusion();
    double lexicalWeight = checked.nonNegativeNumber(WhetstoneParams.LEXICAL_WEIGHT, 1);
    double denseWeight = checked.nonNegativeNumber(WhetstoneParams.DENSE_WEIGHT, 1);
    boolean relevanceScores = fusion instanceof LinearFusion linear
        && linear.normalization() == LinearFusion.Normalization.RELEVANCE;
    RelevanceParams relevance = RelevanceParams.read(req, checked, model, relevanceScores,
        WhetstoneParams.NORMALIZATION + "=relevance");
    String defType = checked.get(WhetstoneParams.LEXICAL_DEFTYPE, "edismax");
    QParserPlugin plugin = req.getCore().getQueryPlugin(defType);
    if (plugin == null || plugin instanceof HybridQParserPlugin) {
      throw new SolrException(ErrorCode.BAD_REQUEST, WhetstoneParams.LEXICAL_DEFTYPE
          + " must name a lexical query parser, got '" + defType + "'");
    }
    // embed last: a request rejected above costs no model call
    float[] vector = model.embedQuery(req, text);
    return new Plan(checked.get(WhetstoneParams.LEXICAL_QUERY, text), defType,
        checked.get(WhetstoneParams.LEXICAL_QF), field, vector, lexicalWindow, denseWindow, fusion,
        lexicalWeight, denseWeight, relevance.forQuery(vector));
  }

  /**
   * Identifies this query among the request's {@code {!hybrid}} queries (its local params and
   * text), so the scores the coordinator fused for the main query replace only that query.
   */
  String signature() {
    return EmbeddingModel.textHash(localParams + "\0" + qstr);
  }

  @Override
  public Query parse() throws SyntaxError {
    Query fused = FusedScores.query(req, signature());
    if (fused != null) {
      return fused;
    }
    Plan plan = plan();
    Sides sides = sides(plan);
    return new HybridQuery(sides.lexical(), plan.lexicalWindow(), plan.lexicalWeight(),
        sides.dense(), plan.denseWindow(), plan.denseWeight(), plan.fusion());
  }

  /**
   * The two queries whose top windows are fused, each restricted by the hybrid query's filters.
   * {@code dense} scores by calibrated relevance when the plan asks for it.
   */
  record Sides(Query lexical, Query dense) {}

  Sides sides(Plan plan) throws SyntaxError {
    Query filter = getFilterQuery();
    Query lexical = lexicalQuery(plan);
    if (filter != null) {
      lexical = new BooleanQuery.Builder().add(lexical, Occur.MUST).add(filter, Occur.FILTER).build();
    }
    Query dense = RelevanceParams.apply(
        QueryEmbedding.knnQuery(plan.field(), plan.vector(), plan.denseWindow(), filter),
        plan.relevance());
    return new Sides(lexical, dense);
  }

  private Query lexicalQuery(Plan plan) throws SyntaxError {
    QParserPlugin plugin = req.getCore().getQueryPlugin(plan.lexicalDefType());
    // the plugin is called directly, so local params in the text are not parsed: it is user text
    ModifiableSolrParams local = new ModifiableSolrParams();
    if (plan.lexicalQf() != null) {
      local.set(DisMaxParams.QF, plan.lexicalQf());
    }
    QParser parser = plugin.createParser(plan.lexicalText(), local, params, req);
    Query query = parser.getQuery();
    return query == null
        ? new MatchNoDocsQuery("no lexical query for '" + plan.lexicalText() + "'") : query;
  }

  /** The fusion methods {@code fusion} names. */
  enum FusionMethod { RRF, LINEAR }

  private Fusion fusion() {
    return switch (checked.choice(WhetstoneParams.FUSION, FusionMethod.class, FusionMethod.RRF)) {
      case RRF -> new ReciprocalRankFusion(
          checked.nonNegativeNumber(WhetstoneParams.RRF_K, ReciprocalRankFusion.DEFAULT_K));
      case LINEAR -> new LinearFusion(checked.choice(WhetstoneParams.NORMALIZATION,
          LinearFusion.Normalization.class, LinearFusion.Normalization.MINMAX));
    };
  }
}
