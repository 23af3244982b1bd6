package dev.gatehouse.server.crypto;

import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;

/**
 * An HMAC-SHA-256 that proves a value came from a node of this installation: what Gatehouse keeps
 * in a store others can write to (the Redis cache, its revocation list, pub/sub messages).
 *
 * <p>Each use has its own key, derived from the master key with HKDF (RFC 5869) and bound to the
 * installation, so a value of one installation, or of one use, is never accepted as another. The
 * MAC also covers a context (for the cache, the full Redis key: installation, tenant, kind and id)
 * and an expiry, so that an entry copied under another key is refused, and a genuine entry
 * replayed after it was replaced lives no longer than the expiry it was written with.
 *
 * <p>A sealed value is {@code m1.<expires-at-ms>.<mac>.<value>}: the value stays readable, which
 * keeps the cache debuggable (it never holds a secret in clear).
 */
public final class CacheMac {

  private static final String FORMAT = "m1.";
  private static final Base64.Encoder B64 = Base64.getUrlEncoder().withoutPadding();
  private static final int TAG_CHARS = 43;

  private final KeyedMac keyed;

  CacheMac(byte[] key) {
    this.keyed = new KeyedMac(key);
  }

  /** {@code value} with its MAC over {@code context} and {@code expiresAtMs} in front. */
  public String seal(String context, String value, long expiresAtMs) {
    return FORMAT + expiresAtMs + "." + tag(context, expiresAtMs, value) + "." + value;
  }

  /** A value whose MAC held, and the expiry it was sealed with. */
  public record Opened(String value, long expiresAtMs) {

    /** Whether it is still good at {@code nowMs}. */
    public boolean liveAt(long nowMs) {
      return nowMs <= expiresAtMs;
    }
  }

  /**
   * What {@link #seal} put in {@code sealed} under the same context, if its MAC holds; empty for
   * anything else (never an exception). The caller decides what an expired value is worth.
   */
  public Optional<Opened> open(String context, String sealed) {
    if (sealed == null || !sealed.startsWith(FORMAT)) {
      return Optional.empty();
    }
    int dot = sealed.indexOf('.', FORMAT.length());
    if (dot < 0 || sealed.length() < dot + 1 + TAG_CHARS + 1
        || sealed.charAt(dot + 1 + TAG_CHARS) != '.') {
      return Optional.empty();
    }
    long expiresAt;
    try {
      expiresAt = Long.parseLong(sealed, FORMAT.length(), dot, 10);
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
    String tag = sealed.substring(dot + 1, dot + 1 + TAG_CHARS);
    String value = sealed.substring(dot + 2 + TAG_CHARS);
    if (!verify(context, expiresAt, value, tag)) {
      return Optional.empty();
    }
    return Optional.of(new Opened(value, expiresAt));
  }

  /** The MAC (base64url, 43 characters) of {@code value} under {@code context} and a number. */
  public String tag(String context, long number, String value) {
    Mac mac = keyed.fresh();
    update(mac, context.getBytes(StandardCharsets.UTF_8));
    mac.update(ByteBuffer.allocate(8).putLong(number).array());
    update(mac, value.getBytes(StandardCharsets.UTF_8));
    return B64.encodeToString(mac.doFinal());
  }

  /** Whether {@code tag} is the MAC of the rest, compared in constant time. */
  public boolean verify(String context, long number, String value, String tag) {
    return tag != null && MessageDigest.isEqual(
        tag(context, number, value).getBytes(StandardCharsets.US_ASCII),
        tag.getBytes(StandardCharsets.US_ASCII));
  }

  /** Length-prefixed, so that no two (context, value) pairs feed the MAC the same bytes. */
  private static void update(Mac mac, byte[] field) {
    mac.update(ByteBuffer.allocate(4).putInt(field.length).array());
    mac.update(field);
  }
}
