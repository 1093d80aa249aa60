package dev.whetstone.solr.ubi;

import com.codahale.metrics.Counter;
import dev.whetstone.solr.WhetstoneParams;
import dev.whetstone.solr.search.UniqueKeys;
import java.io.IOException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.regex.Pattern;
import org.apache.solr.common.SolrDocument;
import org.apache.solr.common.SolrException;
import org.apache.solr.common.SolrException.ErrorCode;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.ShardParams;
import org.apache.solr.common.params.SolrParams;
import org.apache.solr.common.util.NamedList;
import org.apache.solr.common.util.SimpleOrderedMap;
import org.apache.solr.core.CloseHook;
import org.apache.solr.core.SolrCore;
import org.apache.solr.handler.component.ResponseBuilder;
import org.apache.solr.handler.component.SearchComponent;
import org.apache.solr.metrics.SolrMetricsContext;
import org.apache.solr.search.DocList;
import org.apache.solr.search.QueryParsing;
import org.apache.solr.search.SyntaxError;
import org.apache.solr.util.plugin.SolrCoreAware;

/**
 * Logs what users were shown, in the User Behavior Insights (UBI) query shape, for training from
 * clicks ({@code whetstone train --clicks}): for each request with {@code ubi=true}, the query id
 * (the client's {@code query_id}, else a new UUID, returned in the response under {@code ubi}),
 * what the user typed ({@link #userQuery}), the returned document ids in the order shown, and a
 * timestamp. A client's {@code query_id} must be at most {@value #MAX_QUERY_ID_LENGTH} characters
 * of {@code [A-Za-z0-9._:-]} (else a 400). It is only a field of the record: each record has its
 * own server-made id ({@link UbiQuery#id}), so a request that sends another search's query id adds
 * a record and never replaces that search's. Clients then send their click events, with that query id, to an events collection
 * with a plain {@code /update} (see docs/clicks.md).
 *
 * <p>Declare it and list it in the search handler's {@code last-components}. Arguments: {@code
 * collection} (index the queries there; default: one JSON line per query on the logger {@value
 * UbiLog.LogFile#LOGGER}), {@code queueSize}. Both are written off the request thread. In
 * SolrCloud the coordinator logs what it returns, once; shards log nothing.
 */
public class UbiComponent extends SearchComponent implements SolrCoreAware {
  static final int DEFAULT_QUEUE_SIZE = 10_000;
  static final int MAX_QUERY_ID_LENGTH = 128;
  private static final Pattern QUERY_ID = Pattern.compile("[A-Za-z0-9._:-]+");

  private String collection;
  private int queueSize = DEFAULT_QUEUE_SIZE;
  private UbiLog ubiLog;
  private Counter logged = new Counter();

  @Override
  public void init(NamedList<?> args) {
    super.init(args);
    Object configured = args.get(WhetstoneParams.UBI_COLLECTION);
    collection = configured == null || configured.toString().isBlank() ? null : configured.toString();
    Object size = args.get(WhetstoneParams.UBI_QUEUE_SIZE);
    if (size != null) {
      try {
        queueSize = Integer.parseInt(size.toString().trim());
      } catch (NumberFormatException e) {
        queueSize = 0;
      }
      if (queueSize <= 0) {
        throw new SolrException(ErrorCode.SERVER_ERROR, "UbiComponent: " + WhetstoneParams.UBI_QUEUE_SIZE
            + " must be a positive integer, got '" + size + "'");
      }
    }
  }

  @Override
  public void inform(SolrCore core) {
    SolrMetricsContext metrics = getSolrMetricsContext();
    String[] path = {getCategory().toString(), getName()};
    if (metrics != null) {
      logged = metrics.counter("ubi.logged", path);
    }
    UbiLog.Sink sink;
    if (collection == null) {
      sink = new UbiLog.LogFile();
    } else {
      if (!core.getCoreContainer().isZooKeeperAware()) {
        throw new SolrException(ErrorCode.SERVER_ERROR, "UbiComponent: " + WhetstoneParams.UBI_COLLECTION
            + "='" + collection + "' needs SolrCloud; a standalone Solr logs to the log file");
      }
      String zkHost = core.getCoreContainer().getZkController().getZkServerAddress();
      sink = new UbiLog.Collection(collection,
          () -> core.getCoreContainer().getSolrClientCache().getCloudSolrClient(zkHost));
    }
    ubiLog = new UbiLog(sink, queueSize,
        metrics == null ? new Counter() : metrics.counter("ubi.dropped", path),
        metrics == null ? new Counter() : metrics.counter("ubi.failed", path));
    core.addCloseHook(new CloseHook() {
      @Override
      public void preClose(SolrCore closing) {
        ubiLog.close();
      }
    });
  }

  /** Gives the request its query id, in the response, before anything can fail later. */
  @Override
  public void prepare(ResponseBuilder rb) {
    if (!logs(rb.req.getParams())) {
      return;
    }
    String queryId = queryId(rb.req.getParams());
    rb.req.getContext().put(WhetstoneParams.UBI_QUERY_ID, queryId);
    NamedList<Object> ubi = new SimpleOrderedMap<>();
    ubi.add(WhetstoneParams.UBI_QUERY_ID, queryId);
    rb.rsp.add(WhetstoneParams.UBI, ubi);
  }

  /**
   * The client's {@code query_id}, checked, or a new UUID when it sent none (or a blank one). A
   * client's id is kept short and plain: it goes into the log and the queries collection as sent.
   */
  static String queryId(SolrParams params) {
    String given = params.get(WhetstoneParams.UBI_QUERY_ID);
    if (given == null || given.isBlank()) {
      return UUID.randomUUID().toString();
    }
    if (given.length() > MAX_QUERY_ID_LENGTH || !QUERY_ID.matcher(given).matches()) {
      throw new SolrException(ErrorCode.BAD_REQUEST, WhetstoneParams.UBI_QUERY_ID + " must be at most "
          + MAX_QUERY_ID_LENGTH + " characters of A-Z, a-z, 0-9, '.', '_', ':' and '-', got "
          + (given.length() > MAX_QUERY_ID_LENGTH ? given.length() + " characters" : "'" + given + "'"));
    }
    return given;
  }

  /** A single-core request: the ids of the page QueryComponent found. */
  @Override
  public void process(ResponseBuilder rb) throws IOException {
    if (!logs(rb.req.getParams()) || rb.getResults() == null) {
      return;
    }
    DocList page = rb.getResults().docList;
    log(rb, UniqueKeys.of(rb.req.getSearcher(), rb.req.getSchema().getUniqueKeyField(), page),
        page.offset());
  }

  /** A distributed request: the coordinator's merged page, once its fields are in. */
  @Override
  public void finishStage(ResponseBuilder rb) {
    if (rb.stage != ResponseBuilder.STAGE_GET_FIELDS || !logs(rb.req.getParams())
        || rb.getResponseDocs() == null) {
      return;
    }
    String key = rb.req.getSchema().getUniqueKeyField().getName();
    List<String> ids = new ArrayList<>();
    for (SolrDocument doc : rb.getResponseDocs()) {
      Object id = doc.getFirstValue(key);
      if (id != null) {
        ids.add(id.toString());
      }
    }
    log(rb, ids, (int) rb.getResponseDocs().getStart());
  }

  private void log(ResponseBuilder rb, List<String> ids, int start) {
    SolrParams params = rb.req.getParams();
    ubiLog.log(new UbiQuery((String) rb.req.getContext().get(WhetstoneParams.UBI_QUERY_ID),
        params.get(WhetstoneParams.UBI_APPLICATION), params.get(WhetstoneParams.UBI_CLIENT_ID),
        userQuery(params), rb.req.getSchema().getUniqueKeyField().getName(), ids, start, Instant.now()));
    logged.inc();
  }

  /**
   * What the user typed: {@code user_query}, else the query text of {@code q}: its {@code v}
   * local param ({@code {!hybrid … v=$qq}} gives qq's value) or what follows the local params,
   * else {@code q} itself.
   */
  static String userQuery(SolrParams params) {
    String given = params.get(WhetstoneParams.UBI_USER_QUERY);
    if (given != null) {
      return given;
    }
    String q = params.get(CommonParams.Q, "");
    if (!q.startsWith(QueryParsing.LOCALPARAM_START)) {
      return q;
    }
    try {
      SolrParams local = QueryParsing.getLocalParams(q, params);
      String text = local == null ? null : local.get(QueryParsing.V);
      return text == null || text.isBlank() ? q : text;
    } catch (SyntaxError e) {
      return q; // the query parser reports it; the log keeps what was sent
    }
  }

  /** Asked for, and not a shard's part of a distributed request (the coordinator logs it). */
  private static boolean logs(SolrParams params) {
    return params.getBool(WhetstoneParams.UBI, false) && !params.getBool(ShardParams.IS_SHARD, false);
  }

  @Override
  public String getDescription() {
    return "Whetstone: User Behavior Insights query log";
  }
}
