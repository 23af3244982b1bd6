package dev.gatehouse.server.crypto;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;

/**
 * A keyed hash (HMAC-SHA-256) for high-entropy secrets the server generates: client secrets,
 * opaque tokens. A slow KDF adds nothing for 256-bit random values and would cap the token
 * endpoint (docs/architecture.md, "Security invariants"); the key keeps a stolen table from being
 * checked offline without the master key.
 *
 * <p>Every token and introspection request hashes once, so the key is set up once
 * ({@link KeyedMac}).
 */
public final class SecretHasher {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();

  private final KeyedMac mac;

  SecretHasher(byte[] key) {
    this.mac = new KeyedMac(key);
  }

  /** The hash of {@code secret}, base64url without padding (43 characters). */
  public String hash(String secret) {
    return B64.encodeToString(mac.fresh().doFinal(secret.getBytes(StandardCharsets.UTF_8)));
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
