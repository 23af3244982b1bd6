package dev.gatehouse.server.oauth;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.HexFormat;

/**
 * Limits failed client authentications per tenant and client_id: after {@link #MAX_FAILURES}
 * failures within {@link #WINDOW} the client_id is refused, whatever it presents, for the next
 * window. RFC 6749 §2.3.1: "the authorization server MUST protect any endpoint utilizing it
 * against brute force attacks"; §10.10 asks the same of guessable credentials.
 *
 * <p>Client secrets are 256-bit random, so guessing one is hopeless anyway; the limit is defence
 * in depth and caps the hashing work a stream of wrong secrets costs. A success costs nothing:
 * whether a client is locked is read from this node's memory, and only a failure is counted in
 * the shared {@link Failures} (Redis when there is one), so a lock earned on one node begins on
 * each other node at its next failure for that client. The lock is per client_id, not per
 * address: whoever knows a client_id can keep that client locked out by sending wrong secrets,
 * which is why the limit is generous.
 */
public final class ClientAuthThrottle {

  /** Failures of one client_id within {@link #WINDOW} before it is locked. */
  static final int MAX_FAILURES = 30;
  static final Duration WINDOW = Duration.ofMinutes(1);

  /** Counts failures shared by the nodes. */
  @FunctionalInterface
  public interface Failures {

    /** Adds one to {@code key} and returns its count within a window of {@code window}. */
    long add(String key, Duration window);
  }

  private final Failures failures;
  private final Cache<String, Boolean> locked = Caffeine.newBuilder()
      .expireAfterWrite(WINDOW).maximumSize(100_000).build();

  public ClientAuthThrottle(Failures failures) {
    this.failures = failures;
  }

  /** Whether {@code clientId} at {@code tenantId} is locked on this node (no I/O). */
  boolean locked(String tenantId, String clientId) {
    return locked.getIfPresent(key(tenantId, clientId)) != null;
  }

  /** Counts a failed authentication of {@code clientId}; locks it at the limit. */
  void failed(String tenantId, String clientId) {
    String key = key(tenantId, clientId);
    if (failures.add(key, WINDOW) >= MAX_FAILURES) {
      locked.put(key, Boolean.TRUE);
    }
  }

  /** {@code client:tenant:sha256(client_id)}: a client_id is the caller's and of any length. */
  private static String key(String tenantId, String clientId) {
    try {
      byte[] h = MessageDigest.getInstance("SHA-256")
          .digest(clientId.getBytes(StandardCharsets.UTF_8));
      return "client:" + tenantId + ":" + HexFormat.of().formatHex(h, 0, 16);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
