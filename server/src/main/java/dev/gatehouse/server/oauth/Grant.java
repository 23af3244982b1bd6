package dev.gatehouse.server.oauth;

import java.util.Map;

/** One grant type's logic at the token endpoint (RFC 6749 §4), after client authentication. */
public interface Grant {

  /** The {@code grant_type} value this handles. */
  String grantType();

  /** Issues tokens to the authenticated {@code client} or throws {@link OAuthException}. */
  TokenResponse handle(Client client, Map<String, String> form);
}
