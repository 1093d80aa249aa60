package dev.whetstone.solr.search;

import dev.whetstone.solr.model.ModelLookup;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.request.SolrQueryRequest;
import org.apache.solr.search.QParser;
import org.apache.solr.search.QParserPlugin;

/**
 * {@code {!hybrid f=vector model=minilm lexicalQf='title text'}free text}: fuses a lexical query
 * ({@code edismax} by default) and a kNN query on the embedded text into one ranking, with
 * reciprocal rank fusion or linear fusion of normalized scores; the fused score is the document's
 * score. See {@link HybridQParser} for the parameters. Declared in solrconfig.xml:
 *
 * <pre>{@code <queryParser name="hybrid" class="dev.whetstone.solr.search.HybridQParserPlugin"/>}</pre>
 */
public class HybridQParserPlugin extends QParserPlugin {
  private final ModelLookup models = new ModelLookup();

  public static final String NAME = "hybrid";

  @Override
  public QParser createParser(String qstr, SolrParams localParams, SolrParams params,
      SolrQueryRequest req) {
    // Solr's vector parsers read local params unconditionally; defType=hybrid has none
    return new HybridQParser(qstr, localParams == null ? new ModifiableSolrParams() : localParams,
        params, req, models);
  }
}
