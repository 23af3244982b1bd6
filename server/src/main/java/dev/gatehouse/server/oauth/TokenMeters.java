package dev.gatehouse.server.oauth;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The token endpoint's business meters: {@code gatehouse.tokens.issued} by grant type and token
 * format, {@code gatehouse.token.errors} by OAuth error code, and {@code gatehouse.introspections}
 * by result. Every label comes from a closed set (the grants the node serves, the two formats, the
 * RFC 6749 codes): a client cannot make a new series by sending a made-up value.
 */
public final class TokenMeters {

  private static final Set<String> ERRORS = Set.of("invalid_request", "invalid_client",
      "invalid_grant", "unauthorized_client", "unsupported_grant_type", "invalid_scope",
      "server_error", "temporarily_unavailable");

  private final MeterRegistry registry;
  private final Map<String, Counter> issuedJwt = new ConcurrentHashMap<>();
  private final Map<String, Counter> issuedOpaque = new ConcurrentHashMap<>();
  private final Map<String, Counter> errors = new ConcurrentHashMap<>();
  private final Counter active;
  private final Counter inactive;

  public TokenMeters(MeterRegistry registry) {
    this.registry = registry;
    this.active = introspection(registry, "active");
    this.inactive = introspection(registry, "inactive");
    for (String e : ERRORS) {
      // Registered up front: an error rate reads 0, not "no data", before the first error.
      errorCounter(e);
    }
  }

  private static Counter introspection(MeterRegistry registry, String result) {
    return Counter.builder("gatehouse.introspections").tag("result", result)
        .description("introspection answers (RFC 7662) by whether the token was active")
        .register(registry);
  }

  /** One token response of {@code grantType} for a client whose access tokens are {@code format}. */
  public void issued(String grantType, Client.TokenFormat format) {
    // Keyed by grant type in one map per format: nothing is built per token.
    boolean opaque = format == Client.TokenFormat.OPAQUE;
    Map<String, Counter> byGrant = opaque ? issuedOpaque : issuedJwt;
    Counter c = byGrant.get(grantType);
    if (c == null) {
      c = byGrant.computeIfAbsent(grantType, g -> Counter.builder("gatehouse.tokens.issued")
          .description("token responses by grant type and access token format")
          .tag("grant", g)
          .tag("format", opaque ? "opaque" : "jwt")
          .register(registry));
    }
    c.increment();
  }

  /** One error answer of the token endpoint; codes outside RFC 6749 §5.2 count as {@code other}. */
  public void error(String code) {
    errorCounter(ERRORS.contains(code) ? code : "other").increment();
  }

  private Counter errorCounter(String code) {
    Counter c = errors.get(code);
    if (c == null) {
      c = errors.computeIfAbsent(code, k -> Counter.builder("gatehouse.token.errors")
          .description("token endpoint error responses by OAuth error code")
          .tag("error", k)
          .register(registry));
    }
    return c;
  }

  /** One introspection answer. */
  public void introspected(boolean isActive) {
    (isActive ? active : inactive).increment();
  }
}
