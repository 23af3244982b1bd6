package dev.gatehouse.server.oauth;

/**
 * An OAuth error response (RFC 6749 §5.2): an error code from the spec's registry, a description a
 * developer can act on, and the HTTP status to send.
 */
public final class OAuthException extends RuntimeException {

  private final String error;
  private final int status;
  private final boolean challenge;

  public OAuthException(String error, String description, int status, boolean challenge) {
    super(description, null, false, false);
    this.error = error;
    this.status = status;
    this.challenge = challenge;
  }

  public static OAuthException invalidRequest(String description) {
    return new OAuthException("invalid_request", description, 400, false);
  }

  /**
   * RFC 6749 §5.2: invalid_client answers 401 with a WWW-Authenticate challenge when the client
   * tried the Authorization header; we always answer so, which is allowed and simpler for clients.
   */
  public static OAuthException invalidClient(String description) {
    return new OAuthException("invalid_client", description, 401, true);
  }

  public static OAuthException invalidGrant(String description) {
    return new OAuthException("invalid_grant", description, 400, false);
  }

  public static OAuthException invalidScope(String description) {
    return new OAuthException("invalid_scope", description, 400, false);
  }

  public static OAuthException unauthorizedClient(String description) {
    return new OAuthException("unauthorized_client", description, 400, false);
  }

  public static OAuthException unsupportedGrantType(String description) {
    return new OAuthException("unsupported_grant_type", description, 400, false);
  }

  public String error() {
    return error;
  }

  public int status() {
    return status;
  }

  /** Whether the response carries {@code WWW-Authenticate: Basic}. */
  public boolean challenge() {
    return challenge;
  }
}
