package dev.whetstone.solr;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.solr.common.params.CommonParams;
import org.apache.solr.common.params.SolrParams;

/**
 * HMAC-SHA256 over a request's internal parameters (names and values) and its query text, so a
 * shard can tell what a coordinator of its cluster sent from what a client wrote. Public for
 * {@code whetstone bench solr}, which times it.
 */
public final class InternalParamsSigner {
  private static final String ALGORITHM = "HmacSHA256";

  private final SecretKeySpec key;

  public InternalParamsSigner(byte[] key) {
    this.key = new SecretKeySpec(key, ALGORITHM);
  }

  /** The signature of {@code params}' internal parameters and {@code q}. */
  public String sign(SolrParams params) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(mac(params));
  }

  /** Whether {@code signature} is that of {@code params}, compared in constant time. */
  public boolean verifies(SolrParams params, String signature) {
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(signature);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(mac(params), given);
  }

  private byte[] mac(SolrParams params) {
    Mac mac;
    try {
      mac = Mac.getInstance(ALGORITHM);
      mac.init(key);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
    mac.update(payload(params));
    return mac.doFinal();
  }

  /** Every string length-prefixed, so no two different sets of values give the same bytes. */
  private static byte[] payload(SolrParams params) {
    ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    try (DataOutputStream out = new DataOutputStream(bytes)) {
      for (String name : InternalParams.SIGNED) {
        String[] values = params.getParams(name);
        writeString(out, name);
        out.writeInt(values == null ? -1 : values.length);
        for (int i = 0; values != null && i < values.length; i++) {
          writeString(out, values[i]);
        }
      }
      String q = params.get(CommonParams.Q);
      out.writeBoolean(q != null);
      if (q != null) {
        writeString(out, q);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return bytes.toByteArray();
  }

  private static void writeString(DataOutputStream out, String s) throws IOException {
    byte[] utf8 = s.getBytes(StandardCharsets.UTF_8);
    out.writeInt(utf8.length);
    out.write(utf8);
  }
}
