package dev.gatehouse.server.oauth;

import java.util.Optional;
import java.util.Set;

/**
 * Refresh tokens (RFC 6749 §6, RFC 9700 §4.14), stored by the keyed hash of their value and
 * grouped in families: every token that descends from one authorization by rotation.
 */
public interface RefreshTokenStore {

  /** A refresh token as stored. */
  record RefreshToken(String tenantId, String tokenHash, String familyId, String clientId,
      String userId, Set<String> scope, String sid, long authTime, String amr, String acr,
      long issuedAt, long expiresAt, long familyExpiresAt, boolean rotated, boolean revoked) {}

  void insert(RefreshToken token);

  Optional<RefreshToken> find(String tenantId, String tokenHash);

  /** Marks a token rotated (used once); false when it already was, i.e. this use is a reuse. */
  boolean markRotated(String tenantId, String tokenHash);

  /** Revokes every token of a family. */
  int revokeFamily(String tenantId, String familyId);

  /** Revokes every token issued under an SSO session (logout). */
  int revokeSession(String tenantId, String sid);

  int purgeExpired(long now);
}
