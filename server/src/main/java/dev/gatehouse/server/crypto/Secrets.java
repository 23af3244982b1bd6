package dev.gatehouse.server.crypto;

import java.security.SecureRandom;
import java.util.Base64;

/** Random values the server hands out: secrets, token references, ids. */
public final class Secrets {

  private static final SecureRandom RANDOM = new SecureRandom();

  private Secrets() {}

  /** {@code bytes} random bytes, base64url without padding. */
  public static String random(int bytes) {
    byte[] b = new byte[bytes];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  /** A 256-bit secret: client secrets and opaque tokens. */
  public static String secret() {
    return random(32);
  }

  /** A 128-bit identifier: jti, kid, client ids. */
  public static String id() {
    return random(16);
  }
}
