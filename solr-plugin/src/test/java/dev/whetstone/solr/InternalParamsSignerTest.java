package dev.whetstone.solr;

import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertTrue;

import java.util.function.Consumer;
import org.apache.solr.common.params.ModifiableSolrParams;
import org.junit.Test;

public class InternalParamsSignerTest {
  private final InternalParamsSigner signer = new InternalParamsSigner(new byte[32]);

  private static ModifiableSolrParams signed() {
    ModifiableSolrParams params = new ModifiableSolrParams();
    params.set("q", "{!embed f=vector model=minilm}vitamin D");
    params.add(InternalParams.QUERY_VECTOR, "fp:hash:AAAAAA==");
    params.add(InternalParams.FUSED, "0.5:1", "0.25:2");
    params.set(InternalParams.FUSED_FOR, "abc");
    params.set("rows", "10");
    return params;
  }

  @Test
  public void acceptsWhatItSignedWhateverTheOtherParams() {
    ModifiableSolrParams params = signed();
    String signature = signer.sign(params);
    params.set("rows", "20"); // not covered: shards page and fetch with other params
    params.set("isShard", "true");
    assertTrue(signer.verifies(params, signature));
  }

  @Test
  public void rejectsAnyChangeToAnInternalParamOrTheText() {
    String signature = signer.sign(signed());
    assertRejected(signature, p -> p.set("q", "{!embed f=vector model=minilm}vitamin E"));
    assertRejected(signature, p -> p.remove("q"));
    assertRejected(signature, p -> p.set(InternalParams.QUERY_VECTOR, "fp:hash:AAAAAB=="));
    assertRejected(signature, p -> p.add(InternalParams.QUERY_VECTOR, "fp:other:AAAAAA=="));
    assertRejected(signature, p -> p.set(InternalParams.FUSED, "0.5:1"));
    assertRejected(signature, p -> p.set(InternalParams.FUSED, "0.25:2", "0.5:1"));
    assertRejected(signature, p -> p.set(InternalParams.FUSED, "99:1", "0.25:2"));
    assertRejected(signature, p -> p.remove(InternalParams.FUSED_FOR));
    // the same strings under another parameter
    assertRejected(signature, p -> {
      p.remove(InternalParams.FUSED_FOR);
      p.add(InternalParams.FUSED, "abc");
    });
  }

  @Test
  public void rejectsMissingMalformedAndOtherKeysSignatures() {
    ModifiableSolrParams params = signed();
    String signature = signer.sign(params);
    assertFalse(signer.verifies(params, ""));
    assertFalse(signer.verifies(params, "!!not base64!!"));
    assertFalse(signer.verifies(params, signature.substring(1)));
    byte[] otherKey = new byte[32];
    otherKey[0] = 1;
    assertFalse(new InternalParamsSigner(otherKey).verifies(params, signature));
  }

  private void assertRejected(String signature, Consumer<ModifiableSolrParams> change) {
    ModifiableSolrParams params = signed();
    change.accept(params);
    assertFalse(params.toString(), signer.verifies(params, signature));
  }
}
