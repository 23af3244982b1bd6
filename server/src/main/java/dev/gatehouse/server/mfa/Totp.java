package dev.gatehouse.server.mfa;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Time-based one-time passwords (RFC 6238) over HOTP (RFC 4226): HMAC-SHA-1, 6 digits, 30-second
 * steps from the Unix epoch, the parameters every authenticator app assumes when an
 * {@code otpauth://} URI names none.
 */
public final class Totp {

  /** RFC 6238 §4.1: X, the time step in seconds (default 30). */
  public static final int STEP_SECONDS = 30;
  public static final int DIGITS = 6;
  /**
   * RFC 6238 §5.2: "We RECOMMEND that at most one time step is allowed as the network delay":
   * a code of the previous or next step is accepted too.
   */
  public static final int WINDOW = 1;

  private Totp() {}

  /** The time step T of {@code epochSeconds} (RFC 6238 §4.2: T = (Current Unix time - T0) / X). */
  public static long step(long epochSeconds) {
    return Math.floorDiv(epochSeconds, STEP_SECONDS);
  }

  /** The code of time step {@code step} (HOTP with C = T), with {@code digits} digits. */
  public static String code(byte[] secret, long step, String algorithm, int digits) {
    try {
      Mac mac = Mac.getInstance(algorithm);
      mac.init(new SecretKeySpec(secret, algorithm));
      byte[] h = mac.doFinal(ByteBuffer.allocate(8).putLong(step).array());
      // RFC 4226 §5.3: dynamic truncation.
      int offset = h[h.length - 1] & 0x0f;
      int binary = ((h[offset] & 0x7f) << 24) | ((h[offset + 1] & 0xff) << 16)
          | ((h[offset + 2] & 0xff) << 8) | (h[offset + 3] & 0xff);
      int mod = 1;
      for (int i = 0; i < digits; i++) {
        mod *= 10;
      }
      String s = Integer.toString(binary % mod);
      return "0".repeat(digits - s.length()) + s;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  /** The 6-digit HMAC-SHA-1 code of {@code step}. */
  public static String code(byte[] secret, long step) {
    return code(secret, step, "HmacSHA1", DIGITS);
  }

  /**
   * The time step within the window around {@code now} whose code is {@code code}, or -1. Every
   * candidate is compared, in constant time, so the answer's timing says nothing about which.
   */
  public static long match(byte[] secret, String code, long epochSeconds) {
    if (code == null || code.length() != DIGITS || !code.chars().allMatch(Character::isDigit)) {
      return -1;
    }
    long now = step(epochSeconds);
    long found = -1;
    for (long s = now - WINDOW; s <= now + WINDOW; s++) {
      if (MessageDigest.isEqual(code(secret, s).getBytes(StandardCharsets.US_ASCII),
          code.getBytes(StandardCharsets.US_ASCII)) && found < 0) {
        found = s;
      }
    }
    return found;
  }
}
