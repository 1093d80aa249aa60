package dev.whetstone.solr.search;

import dev.whetstone.solr.model.ModelLookup;
import dev.whetstone.solr.model.ModelRegistryComponent;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QParserPlugin;

/**
 * {@code {!embed f=vector model=minilm topK=10}free text}: embeds the text with a model of the
 * {@link ModelRegistryComponent} and runs the same kNN query as {@code {!knn}} would with that
 * vector, including its pre-filter semantics ({@code fq}, {@code preFilter}, {@code includeTags},
 * {@code excludeTags}). Declared in solrconfig.xml:
 *
 * <pre>{@code <queryParser name="embed" class="dev.whetstone.solr.search.EmbedQParserPlugin"/>}</pre>
 */
public class EmbedQParserPlugin extends QParserPlugin {
  private final ModelLookup models = new ModelLookup();

  public static final String NAME = "embed";

  @Override
  public QParser createParser(String qstr, SolrParams localParams, SolrParams params,
      SolrQueryRequest req) {
    // Solr's vector parsers read local params unconditionally; defType=embed has none
    return new EmbedQParser(qstr, localParams == null ? new ModifiableSolrParams() : localParams,
        params, req, models);
  }
}
