package dev.gatehouse.server.oauth;

import java.util.Optional;

/** Server-side token state: opaque tokens, revoked JWTs, used client-assertion ids. */
public interface TokenStore {

  /**
   * An opaque access token as stored: by the keyed hash of its value, never the value.
   *
   * @param userinfoClaims the claims requested by name for the UserInfo endpoint (OIDC Core
   *     §5.5), space-separated, or null
   */
  record OpaqueToken(String tenantId, String tokenHash, String jti, String clientId,
      String subject, String scope, long issuedAt, long expiresAt, boolean revoked,
      String userinfoClaims) {}

  void insertOpaque(OpaqueToken token);

  Optional<OpaqueToken> findOpaque(String tenantId, String tokenHash);

  boolean revokeOpaque(String tenantId, String tokenHash);

  /** The hashes of the opaque tokens of {@code subject} not revoked and not expired at now. */
  java.util.List<String> liveOpaqueOfSubject(String tenantId, String subject, long now);

  /** Records a revoked JWT until it would have expired anyway. */
  void revokeJwt(String tenantId, String jti, long expiresAt);

  boolean isJwtRevoked(String tenantId, String jti);

  /**
   * Visits the JWT revocations made at or after {@code sinceMillis} (the wall clock of the node
   * that revoked; {@link Long#MIN_VALUE}: all, with those recorded without a time) whose tokens
   * expire at or after {@code nowSeconds}: what {@link RevokedJwts} keeps its copy current with.
   */
  void revokedJwtsSince(long sinceMillis, long nowSeconds, RevokedJwts.Visitor visitor);

  /** Records a client assertion's jti; false when it was already used (a replay). */
  boolean useAssertionJti(String tenantId, String clientId, String jti, long expiresAt);

  /** Deletes state about tokens that have expired. */
  int purgeExpired(long now);
}
