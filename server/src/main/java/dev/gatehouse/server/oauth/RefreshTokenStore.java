package dev.gatehouse.server.oauth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Refresh tokens (RFC 6749 §6, RFC 9700 §4.14), stored by the keyed hash of their value and
 * grouped in families: every token that descends from one authorization by rotation.
 */
public interface RefreshTokenStore {

  /** A refresh token as stored. */
  record RefreshToken(String tenantId, String tokenHash, String familyId, String clientId,
      String userId, Set<String> scope, RequestedClaims claims, String sid, long authTime,
      String amr, String acr, long issuedAt, long expiresAt, long familyExpiresAt,
      boolean rotated, boolean revoked) {}

  void insert(RefreshToken token);

  Optional<RefreshToken> find(String tenantId, String tokenHash);

  /** Marks a token rotated (used once); false when it already was, i.e. this use is a reuse. */
  /**
   * Marks the token used; false when it was used already, or it or its family is revoked (the
   * caller reads it again to tell which).
   */
  boolean markRotated(String tenantId, String tokenHash);

  /** Revokes every token of a family. */
  int revokeFamily(String tenantId, String familyId);

  /** Revokes every token issued under an SSO session (logout). */
  int revokeSession(String tenantId, String sid);

  /**
   * Records the access token issued together with a refresh token (see V9__user_credentials);
   * false, recording nothing, when the token or its family is revoked by now.
   */
  boolean recordAccessToken(String tenantId, String tokenHash, String accessTokenRef);

  /** The references of the access tokens issued with the tokens of a family. */
  List<String> accessTokenRefs(String tenantId, String familyId);

  /** The families of a user that still have a token not revoked. */
  List<String> liveFamiliesOfUser(String tenantId, String userId);

  /** The families issued under an SSO session that still have a token not revoked. */
  List<String> liveFamiliesOfSession(String tenantId, String sid);

  int purgeExpired(long now);
}
