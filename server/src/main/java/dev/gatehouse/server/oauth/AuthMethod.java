package dev.gatehouse.server.oauth;

import java.util.Optional;

/**
 * Client authentication methods at the token, introspection and revocation endpoints, named as in
 * the OAuth registry ({@code token_endpoint_auth_method}, RFC 7591 §2).
 */
public enum AuthMethod {
  CLIENT_SECRET_BASIC("client_secret_basic"),
  CLIENT_SECRET_POST("client_secret_post"),
  PRIVATE_KEY_JWT("private_key_jwt"),
  NONE("none");

  private final String value;

  AuthMethod(String value) {
    this.value = value;
  }

  public String value() {
    return value;
  }

  public static Optional<AuthMethod> fromValue(String value) {
    for (AuthMethod m : values()) {
      if (m.value.equals(value)) {
        return Optional.of(m);
      }
    }
    return Optional.empty();
  }
}
