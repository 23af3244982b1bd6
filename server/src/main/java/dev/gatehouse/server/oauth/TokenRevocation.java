package dev.gatehouse.server.oauth;

import dev.gatehouse.server.events.AuditLog;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Revocation of any token the server issued (RFC 7009): access tokens, JWT or opaque, through
 * {@link AccessTokenService}, and refresh tokens, whose whole family is revoked with the access
 * tokens issued from it.
 *
 * <p>RFC 7009 §2.1: "If the particular token is a refresh token and the authorization server
 * supports the revocation of access tokens, then the authorization server SHOULD also invalidate
 * all access tokens based on the same authorization grant", and "If the server is unable to locate
 * the token using the given hint, it MUST extend its search across all of its supported token
 * types".
 */
public final class TokenRevocation {

  private final AccessTokenService accessTokens;
  private final RefreshTokenService refreshTokens;
  private final AuditLog audit;

  public TokenRevocation(AccessTokenService accessTokens, RefreshTokenService refreshTokens,
      AuditLog audit) {
    this.accessTokens = accessTokens;
    this.refreshTokens = refreshTokens;
    this.audit = audit;
  }

  /**
   * Revokes {@code token} at {@code tenantId}. With a {@code clientId}, only a token issued to
   * that client is revoked; null means an administrator, who may revoke any. {@code by} names who
   * asked in the {@code token.revoked} event.
   */
  public AccessTokenService.RevokeOutcome revoke(String tenantId, String token, String hint,
      String clientId, String by) {
    if (token == null || token.isEmpty() || token.length() > 8192) {
      return AccessTokenService.RevokeOutcome.UNKNOWN;
    }
    // A refresh token is a random value, never a compact JWS.
    boolean maybeRefresh = !AccessTokenService.looksLikeJwt(token);
    if (maybeRefresh && "refresh_token".equals(hint)) {
      AccessTokenService.RevokeOutcome r = revokeRefresh(tenantId, token, clientId, by);
      return r != AccessTokenService.RevokeOutcome.UNKNOWN ? r
          : accessTokens.revoke(tenantId, token, clientId, by);
    }
    AccessTokenService.RevokeOutcome a = accessTokens.revoke(tenantId, token, clientId, by);
    return a != AccessTokenService.RevokeOutcome.UNKNOWN || !maybeRefresh ? a
        : revokeRefresh(tenantId, token, clientId, by);
  }

  private AccessTokenService.RevokeOutcome revokeRefresh(String tenantId, String token,
      String clientId, String by) {
    Optional<RefreshTokenStore.RefreshToken> found = refreshTokens.find(tenantId, token);
    if (found.isEmpty()) {
      return AccessTokenService.RevokeOutcome.UNKNOWN;
    }
    RefreshTokenStore.RefreshToken t = found.get();
    if (clientId != null && !clientId.equals(t.clientId())) {
      return AccessTokenService.RevokeOutcome.NOT_OWNER;
    }
    audit.change(tenantId, AccessTokenService.REVOKED_EVENT, by,
        () -> refreshTokens.revokeFamily(tenantId, t.familyId()), n -> {
          Map<String, Object> d = new LinkedHashMap<>();
          d.put("target", t.familyId());
          d.put("token_type", "refresh_token");
          d.put("client_id", t.clientId());
          d.put("user_id", t.userId());
          d.put("refresh_tokens", n);
          return d;
        });
    return AccessTokenService.RevokeOutcome.REVOKED;
  }
}
