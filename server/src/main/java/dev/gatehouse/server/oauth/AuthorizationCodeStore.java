package dev.gatehouse.server.oauth;

import java.util.List;
import java.util.Optional;
import java.util.Set;

/** Authorization codes (RFC 6749 §4.1.2), stored by the keyed hash of their value. */
public interface AuthorizationCodeStore {

  /**
   * A code as stored, with everything it is bound to.
   *
   * @param redirectUri the redirect_uri of the authorization request, or null when it named none
   * @param codeChallenge the S256 PKCE challenge (RFC 7636 §4.3), or null
   * @param claims the claims requested by name (OIDC Core §5.5)
   */
  record Code(String tenantId, String codeHash, String clientId, String redirectUri,
      String codeChallenge, String nonce, Set<String> scope, RequestedClaims claims,
      String userId, String sid,
      long authTime, String amr, String acr, long expiresAt, boolean used) {}

  void insert(Code code);

  Optional<Code> find(String tenantId, String codeHash);

  /** Marks the code used; false when it already was (a replay, or a concurrent exchange). */
  boolean markUsed(String tenantId, String codeHash);

  /**
   * Records what was issued from the code, to revoke it should the code be replayed; false,
   * recording nothing, when a replay was recorded first ({@link #markReplayed}): the caller
   * revokes what it issued.
   */
  boolean recordIssued(String tenantId, String codeHash, String accessTokenRef,
      String refreshFamily);

  /** Records that the code was presented again, before reading what was issued from it. */
  void markReplayed(String tenantId, String codeHash);

  /** The access token reference and refresh family issued from a code: [ref, family], nullable. */
  String[] issued(String tenantId, String codeHash);

  /** The references of the access tokens issued from the codes of a user still kept. */
  List<String> accessTokenRefsOfUser(String tenantId, String userId);

  int purgeExpired(long now);
}
