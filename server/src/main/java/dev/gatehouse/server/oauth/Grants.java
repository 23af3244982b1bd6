package dev.gatehouse.server.oauth;

/** Grant type identifiers (RFC 6749 §4, and later extensions). */
public final class Grants {
  public static final String CLIENT_CREDENTIALS = "client_credentials";
  public static final String AUTHORIZATION_CODE = "authorization_code";
  public static final String REFRESH_TOKEN = "refresh_token";

  private Grants() {}
}
