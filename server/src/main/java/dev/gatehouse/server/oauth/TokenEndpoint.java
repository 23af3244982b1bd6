package dev.gatehouse.server.oauth;

import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The token endpoint's logic (RFC 6749 §3.2): authenticate the client, then hand the request to
 * the grant it names. HTTP framing lives in {@code http}; this class sees parameters only.
 */
public final class TokenEndpoint {

  private final ClientAuthenticator authenticator;
  private final Map<String, Grant> grants = new HashMap<>();
  private volatile TokenEvents events;

  public TokenEndpoint(ClientAuthenticator authenticator, List<Grant> grants) {
    this.authenticator = authenticator;
    grants.forEach(g -> this.grants.put(g.grantType(), g));
  }

  /** The JSON body of a successful token response, or an {@link OAuthException}. */
  public Map<String, Object> token(String tenantId, Map<String, String> form,
      String authorization, String endpointUrl) {
    String grantType = form.get("grant_type");
    if (grantType == null) {
      throw OAuthException.invalidRequest("grant_type is required");
    }
    Client client = authenticator.authenticate(tenantId, form, authorization, endpointUrl);
    Grant grant = grants.get(grantType);
    if (grant == null) {
      throw OAuthException.unsupportedGrantType("grant_type `" + Scopes.printable(grantType)
          + "` is not supported; supported: " + String.join(", ", grants.keySet()));
    }
    Map<String, Object> body = grant.handle(client, form);
    TokenEvents e = events;
    if (e != null) {
      e.issued(tenantId, client, grantType, body);
    }
    return body;
  }

  /** Writes a {@code token.issued} event for every token response from now on. */
  public void events(TokenEvents tokenEvents) {
    this.events = tokenEvents;
  }
}
