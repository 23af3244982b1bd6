package dev.gatehouse.server.oauth;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The token response of grants that act for a signed-in person (authorization_code,
 * refresh_token): an access token, an ID token when {@code openid} was granted, and a refresh
 * token when the client may refresh and {@code offline_access} was granted
 * ({@link #refreshable}).
 */
public final class UserTokens {

  /** The scope that asks for OpenID Connect (OIDC Core §3.1.2.1). */
  public static final String OPENID = "openid";
  public static final String OFFLINE_ACCESS = "offline_access";

  private final AccessTokenService accessTokens;
  private final IdTokenService idTokens;
  private final UserClaimValues claimValues;

  public UserTokens(AccessTokenService accessTokens, IdTokenService idTokens,
      UserClaimValues claimValues) {
    this.accessTokens = accessTokens;
    this.idTokens = idTokens;
    this.claimValues = claimValues;
  }

  /**
   * The response for {@code scope} and the {@code claims} requested by name (OIDC Core §5.5):
   * the access token names those the UserInfo endpoint is to return, the ID token carries the
   * values of its own.
   */
  public TokenResponse respond(Client client, Set<String> scope, RequestedClaims claims,
      IdTokenService.Authentication a, RefreshTokenService.Issued refresh) {
    // RFC 9068 §2.2.1: "auth_time", "acr" and "amr" describe the authentication, as in the ID
    // token, so that a resource server can demand a step-up too.
    Map<String, Object> authn = new LinkedHashMap<>();
    authn.put("auth_time", a.authTime());
    authn.put("acr", a.acr());
    authn.put("amr", a.amr().isBlank() ? java.util.List.of()
        : java.util.Arrays.asList(a.amr().split(" ")));
    AccessTokenService.IssuedToken at = accessTokens.issue(client, a.userId(), scope, authn,
        claims.userinfo());
    Map<String, Object> body = new LinkedHashMap<>();
    // RFC 6749 §5.1
    body.put("access_token", at.value());
    body.put("token_type", "Bearer");
    body.put("expires_in", at.expiresIn());
    if (!scope.isEmpty()) {
      body.put("scope", Scopes.join(scope));
    }
    if (refresh != null) {
      body.put("refresh_token", refresh.value());
    }
    if (scope.contains(OPENID)) {
      // §5.5: requested claims are returned when the user has a value; an Essential Claim the
      // user lacks is left out, not an error.
      Map<String, Object> released = claims.idToken().isEmpty() ? Map.of()
          : claimValues.of(client.tenantId(), a.userId(), claims.idToken());
      body.put("id_token", idTokens.issue(client, a, at.value(), released));
    }
    return new TokenResponse(body, at.reference());
  }

  /**
   * Whether an authorization code grant of {@code scope} gets a refresh token: only when the
   * client may use the refresh_token grant and the person granted {@code offline_access}.
   *
   * <p>OIDC Core §11: "The use of Refresh Tokens is not exclusive to the offline_access use case"
   * but "the OP MUST always obtain consent to returning a Refresh Token that enables offline
   * access". Gatehouse keeps one rule for every authorization code grant, OpenID or plain OAuth:
   * a refresh token outlives the sign-in, so the person must have consented to exactly that. The
   * consent itself is enforced where the code is issued: {@code offline_access} is a scope like
   * any other, so the consent page is shown unless a recorded consent of this person to this
   * client already covers it (and prompt=consent always shows it).
   */
  static boolean refreshable(Client client, Set<String> scope) {
    return client.allowsGrant(Grants.REFRESH_TOKEN) && scope.contains(OFFLINE_ACCESS);
  }
}
