package dev.gatehouse.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Base64;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * A keyed hash (HMAC-SHA-256) for high-entropy secrets the server generates: client secrets,
 * opaque tokens. A slow KDF adds nothing for 256-bit random values and would cap the token
 * endpoint (see DESIGN.md, "Security invariants"); the key keeps a stolen table from being checked
 * offline without the master key.
 */
public final class SecretHasher {

  private final SecretKeySpec key;

  SecretHasher(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /** The hash of {@code secret}, base64url without padding (43 characters). */
  public String hash(String secret) {
    try {
      Mac mac = Mac.getInstance("HmacSHA256");
      mac.init(key);
      byte[] digest = mac.doFinal(secret.getBytes(StandardCharsets.UTF_8));
      return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** Whether {@code secret} hashes to {@code expectedHash}, compared in constant time. */
  public boolean matches(String secret, String expectedHash) {
    if (secret == null || expectedHash == null) {
      return false;
    }
    return MessageDigest.isEqual(
        hash(secret).getBytes(StandardCharsets.US_ASCII),
        expectedHash.getBytes(StandardCharsets.US_ASCII));
  }
}
