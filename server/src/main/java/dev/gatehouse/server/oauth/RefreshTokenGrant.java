package dev.gatehouse.server.oauth;

import java.util.Map;

/** The refresh token grant (RFC 6749 §6), with rotation and reuse detection. */
public final class RefreshTokenGrant implements Grant {

  private final RefreshTokenService refreshTokens;
  private final UserTokens userTokens;

  public RefreshTokenGrant(RefreshTokenService refreshTokens, UserTokens userTokens) {
    this.refreshTokens = refreshTokens;
    this.userTokens = userTokens;
  }

  @Override
  public String grantType() {
    return Grants.REFRESH_TOKEN;
  }

  @Override
  public TokenResponse handle(Client client, Map<String, String> form) {
    if (!client.allowsGrant(grantType())) {
      throw OAuthException.unauthorizedClient("this client may not use the refresh_token grant");
    }
    String value = form.get("refresh_token");
    if (value == null) {
      throw OAuthException.invalidRequest("refresh_token is required");
    }
    RefreshTokenService.Rotation r = refreshTokens.rotate(client, value,
        Scopes.parse(form.get("scope")));
    // The claims requested by name at the authorization (OIDC Core §5.5) stay with its grant.
    TokenResponse response = userTokens.respond(client, r.scope(), r.previous().claims(),
        r.authentication(), r.next());
    refreshTokens.issuedWith(client.tenantId(), r.next(), response.accessTokenRef());
    return response;
  }
}
