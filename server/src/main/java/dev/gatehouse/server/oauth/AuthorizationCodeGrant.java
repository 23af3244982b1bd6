package dev.gatehouse.server.oauth;

import dev.gatehouse.server.events.SignInEvents;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The authorization code grant at the token endpoint (RFC 6749 §4.1.3, OpenID Connect Core
 * §3.1.3): a code, its PKCE verifier and the redirect_uri become tokens.
 */
public final class AuthorizationCodeGrant implements Grant {

  private final AuthorizationCodeService codes;
  private final UserTokens userTokens;
  private final RefreshTokenService refreshTokens;
  private final AccessTokenService accessTokens;
  private final SignInEvents events;
  private final ActiveUsers users;

  public AuthorizationCodeGrant(AuthorizationCodeService codes, UserTokens userTokens,
      RefreshTokenService refreshTokens, AccessTokenService accessTokens, SignInEvents events,
      ActiveUsers users) {
    this.users = users;
    this.codes = codes;
    this.userTokens = userTokens;
    this.refreshTokens = refreshTokens;
    this.accessTokens = accessTokens;
    this.events = events;
  }

  @Override
  public String grantType() {
    return Grants.AUTHORIZATION_CODE;
  }

  @Override
  public TokenResponse handle(Client client, Map<String, String> form) {
    if (!client.allowsGrant(grantType())) {
      throw OAuthException.unauthorizedClient("this client may not use the authorization_code"
          + " grant");
    }
    String value = form.get("code");
    if (value == null) {
      throw OAuthException.invalidRequest("code is required");
    }
    String tenantId = client.tenantId();
    AuthorizationCodeStore.Code code;
    switch (codes.redeem(tenantId, value, c -> checkBinding(client, c, form))) {
      case AuthorizationCodeService.Redemption.Unknown u ->
          throw OAuthException.invalidGrant("the authorization code is not valid");
      case AuthorizationCodeService.Redemption.Replayed r -> {
        // RFC 6749 §4.1.2: "If an authorization code is used more than once, the authorization
        // server MUST deny the request and SHOULD revoke (when possible) all tokens previously
        // issued based on that authorization code."
        Map<String, Object> details = replayDetails(client, r.accessTokenRef(),
            r.refreshFamily());
        events.recordWith(tenantId, SignInEvents.CODE_REPLAYED, () -> {
          accessTokens.revokeReference(tenantId, r.accessTokenRef());
          refreshTokens.revokeFamily(tenantId, r.refreshFamily());
        }, details);
        throw OAuthException.invalidGrant("the authorization code was already used; the tokens"
            + " issued from it are revoked");
      }
      case AuthorizationCodeService.Redemption.Redeemed r -> code = r.code();
    }
    if (codes.expired(code)) {
      throw OAuthException.invalidGrant("the authorization code has expired");
    }
    if (!users.active(tenantId, code.userId())) {
      throw OAuthException.invalidGrant("the user the authorization code was issued for is"
          + " disabled or deleted");
    }
    IdTokenService.Authentication a = new IdTokenService.Authentication(code.userId(),
        code.sid(), code.authTime(), code.amr(), code.acr(), code.nonce());
    RefreshTokenService.Issued refresh = UserTokens.refreshable(client, code.scope())
        ? refreshTokens.issue(client, code.userId(), code.scope(), code.claims(), a) : null;
    TokenResponse response = userTokens.respond(client, code.scope(), code.claims(), a,
        refresh);
    if (!codes.recordIssued(tenantId, value, response.accessTokenRef(),
        refresh == null ? null : refresh.familyId())) {
      // RFC 6749 §4.1.2: the code was replayed while this exchange was issuing from it.
      events.recordWith(tenantId, SignInEvents.CODE_REPLAYED, () -> {
        accessTokens.revokeReference(tenantId, response.accessTokenRef());
        refreshTokens.revokeFamily(tenantId, refresh == null ? null : refresh.familyId());
      }, replayDetails(client, response.accessTokenRef(),
          refresh == null ? null : refresh.familyId()));
      throw OAuthException.invalidGrant("the authorization code was used twice at once; the"
          + " tokens issued from it are revoked");
    }
    if (refresh != null) {
      refreshTokens.issuedWith(tenantId, refresh, response.accessTokenRef());
    }
    return response;
  }

  private static Map<String, Object> replayDetails(Client client, String accessTokenRef,
      String refreshFamily) {
    Map<String, Object> details = new LinkedHashMap<>();
    details.put("client_id", client.clientId());
    details.put("revoked_access_token", accessTokenRef);
    details.put("revoked_refresh_family", refreshFamily);
    return details;
  }

  /**
   * What the code is bound to, checked before it is spent (see
   * {@link AuthorizationCodeService#redeem}): the client, the redirect_uri and the PKCE verifier.
   */
  private static void checkBinding(Client client, AuthorizationCodeStore.Code code,
      Map<String, String> form) {
    // RFC 6749 §4.1.3: "ensure that the authorization code was issued to the authenticated
    // confidential client, or if the client is public, ensure that the code was issued to
    // "client_id" in the request".
    if (!code.clientId().equals(client.clientId())) {
      throw OAuthException.invalidGrant("the authorization code was issued to another client");
    }
    // RFC 6749 §4.1.3: "ensure that the "redirect_uri" parameter is present if the
    // "redirect_uri" parameter was included in the initial authorization request ..., and if
    // included ensure that their values are identical."
    String redirectUri = form.get("redirect_uri");
    if (code.redirectUri() != null ? !code.redirectUri().equals(redirectUri)
        : redirectUri != null && !client.hasRedirect(redirectUri)) {
      throw OAuthException.invalidGrant("redirect_uri does not match the authorization request");
    }
    String verifier = form.get("code_verifier");
    if (code.codeChallenge() != null) {
      if (!PkceVerifier.matches(verifier, code.codeChallenge())) {
        throw OAuthException.invalidGrant("code_verifier does not match the code_challenge"
            + " (RFC 7636 §4.6)");
      }
    } else if (verifier != null) {
      // RFC 9700 §2.1.1: the AS must ensure that a code_verifier is only accepted when a
      // code_challenge was sent (a PKCE downgrade otherwise goes unnoticed).
      throw OAuthException.invalidGrant("code_verifier sent but the authorization request had no"
          + " code_challenge");
    }
  }
}
