package dev.whetstone.bench;

import dev.whetstone.retrieval.RetrievalMode;
import dev.whetstone.solr.InternalParams;
import dev.whetstone.solr.InternalParamsSigner;
import dev.whetstone.solr.model.EmbeddingModel;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import org.apache.solr.client.solrj.SolrQuery;

/**
 * What signing internal params adds to a SolrCloud dense query: the coordinator signs each shard
 * request's params (the query and its vector) and the shard verifies them, one HMAC-SHA256 each.
 */
public final class SigningBench {
  private SigningBench() {}

  /** Mean microseconds of one sign plus one verify of the params of a dense query's shard request. */
  public static double signAndVerifyMicros(String fingerprint, List<String> texts,
      Function<String, float[]> vectors) {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    InternalParamsSigner signer = new InternalParamsSigner(key);
    List<SolrQuery> requests = new ArrayList<>();
    for (String text : texts) {
      SolrQuery request = RetrievalMode.DENSE.request(text, 10);
      request.add(InternalParams.QUERY_VECTOR, InternalParams.encodeVector(
          fingerprint + ":" + EmbeddingModel.textHash(text), vectors.apply(text)));
      requests.add(request);
    }
    run(signer, requests, 20); // warm-up: JIT
    int rounds = 50;
    long start = System.nanoTime();
    run(signer, requests, rounds);
    return (System.nanoTime() - start) / 1e3 / ((long) rounds * requests.size());
  }

  private static void run(InternalParamsSigner signer, List<SolrQuery> requests, int rounds) {
    for (int round = 0; round < rounds; round++) {
      for (SolrQuery request : requests) {
        if (!signer.verifies(request, signer.sign(request))) {
          throw new IllegalStateException("a signature did not verify");
        }
      }
    }
  }
}
