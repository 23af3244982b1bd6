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
 *
 * <p>Every token and introspection request hashes once, so the keyed {@link Mac} is initialised
 * once and cloned per call: a clone copies the inner and outer digest states already primed with
 * the key, skipping the provider lookup and key set-up of {@code Mac.getInstance} + {@code init}.
 */
public final class SecretHasher {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final Mac prototype;

  SecretHasher(byte[] key) {
    try {
      this.prototype = Mac.getInstance("HmacSHA256");
      prototype.init(new SecretKeySpec(key, "HmacSHA256"));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The hash of {@code secret}, base64url without padding (43 characters). */
  public String hash(String secret) {
    return B64.encodeToString(mac().doFinal(secret.getBytes(StandardCharsets.UTF_8)));
  }

  private Mac mac() {
    try {
      return (Mac) prototype.clone();
    } catch (CloneNotSupportedException e) {
      throw new IllegalStateException("HmacSHA256 of " + prototype.getProvider() + " cannot be"
          + " cloned", e);
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
