package dev.gatehouse.server.oauth;

import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;

/**
 * The client credentials grant (RFC 6749 §4.4): a confidential client gets an access token for
 * itself.
 */
public final class ClientCredentialsGrant implements Grant {

  private final AccessTokenService tokens;

  public ClientCredentialsGrant(AccessTokenService tokens) {
    this.tokens = tokens;
  }

  @Override
  public String grantType() {
    return Grants.CLIENT_CREDENTIALS;
  }

  @Override
  public TokenResponse handle(Client client, Map<String, String> form) {
    // RFC 6749 §4.4: "The client credentials grant type MUST only be used by confidential clients."
    if (client.type() != Client.ClientType.CONFIDENTIAL || !client.allowsGrant(grantType())) {
      throw OAuthException.unauthorizedClient("this client may not use the client_credentials"
          + " grant");
    }
    Set<String> scope = grantedScope(client, Scopes.parse(form.get("scope")));
    // RFC 9068 §2.2: with no resource owner, sub identifies the client.
    AccessTokenService.IssuedToken token = tokens.issue(client, client.clientId(), scope);
    // RFC 6749 §5.1 (§4.4.3: no refresh token for this grant).
    Map<String, Object> body = new LinkedHashMap<>();
    body.put("access_token", token.value());
    body.put("token_type", "Bearer");
    body.put("expires_in", token.expiresIn());
    if (!scope.isEmpty()) {
      body.put("scope", Scopes.join(scope));
    }
    return new TokenResponse(body, token.reference());
  }

  /**
   * RFC 6749 §3.3: the requested scope, when every token of it is allowed to the client;
   * otherwise invalid_scope. No scope requested means every scope the client may have.
   */
  static Set<String> grantedScope(Client client, Set<String> requested) {
    if (requested.isEmpty()) {
      return new LinkedHashSet<>(client.scopes());
    }
    for (String s : requested) {
      if (!client.scopes().contains(s)) {
        throw OAuthException.invalidScope("scope `" + Scopes.printable(s) + "` is not allowed for"
            + " this client");
      }
    }
    return requested;
  }
}
