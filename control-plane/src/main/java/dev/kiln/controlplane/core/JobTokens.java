package dev.kiln.controlplane.core;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Per-job tokens ({@code KILN_TOKEN}): HMAC-SHA256 of the job's uid under the control plane's key,
 * so verifying one needs no lookup and no stored state.
 */
public final class JobTokens {
  private static final String HMAC = "HmacSHA256";
  private final SecretKeySpec key;

  public JobTokens(byte[] key) {
    if (key.length < 16) {
      throw new IllegalArgumentException("the token key needs at least 16 bytes");
    }
    this.key = new SecretKeySpec(key.clone(), HMAC);
  }

  /** A key that lives as long as this process: tokens die with it. */
  public static JobTokens ephemeral() {
    byte[] key = new byte[32];
    new SecureRandom().nextBytes(key);
    return new JobTokens(key);
  }

  public String tokenFor(String jobUid) {
    try {
      Mac mac = Mac.getInstance(HMAC);
      mac.init(key);
      byte[] sig = mac.doFinal(jobUid.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(sig);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Constant-time check of {@code token} against the job's. */
  public boolean verify(String jobUid, String token) {
    if (jobUid == null || jobUid.isEmpty() || token == null) {
      return false;
    }
    return MessageDigest.isEqual(
        tokenFor(jobUid).getBytes(StandardCharsets.UTF_8), token.getBytes(StandardCharsets.UTF_8));
  }
}
