package dev.gatehouse.server.crypto;

import java.security.DrbgParameters;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Random values the server hands out: secrets, token references, ids.
 *
 * <p>The token endpoint draws a jti (and for opaque tokens a secret) per request. The platform
 * default {@code new SecureRandom()} on Linux is NativePRNG, whose instances all share one
 * lock-guarded reader of {@code /dev/urandom}; under load every request queues on it. So values
 * come from a few independent DRBGs (NIST SP 800-90A Hash_DRBG, 256-bit strength, each seeded from
 * the system's entropy source and thread-safe on its own), chosen by the calling thread's id.
 */
public final class Secrets {

  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final SecureRandom[] STRIPES = new SecureRandom[stripeCount()];

  static {
    for (int i = 0; i < STRIPES.length; i++) {
      STRIPES[i] = newDrbg();
    }
  }

  private Secrets() {}

  /** {@code bytes} random bytes, base64url without padding. */
  public static String random(int bytes) {
    byte[] b = new byte[bytes];
    random().nextBytes(b);
    return B64.encodeToString(b);
  }

  /** A 256-bit secret: client secrets and opaque tokens. */
  public static String secret() {
    return random(32);
  }

  /** A 128-bit identifier: jti, kid, client ids. */
  public static String id() {
    return random(16);
  }

  /** A cryptographically strong generator for the calling thread; safe to share. */
  public static SecureRandom random() {
    return STRIPES[(int) (Thread.currentThread().threadId() & (STRIPES.length - 1))];
  }

  /** A new, independently seeded, thread-safe DRBG of 256-bit strength. */
  public static SecureRandom newDrbg() {
    try {
      return SecureRandom.getInstance("DRBG",
          DrbgParameters.instantiation(256, DrbgParameters.Capability.NONE, null));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no DRBG SecureRandom in this JDK", e);
    }
  }

  private static int stripeCount() {
    int n = Integer.highestOneBit(Math.max(1, Runtime.getRuntime().availableProcessors()) * 4 - 1);
    return Math.min(64, n * 2);
  }
}
