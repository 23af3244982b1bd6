package dev.gatehouse.server.http;

/**
 * An HTTP-level failure before any feature logic: a body too large, a wrong media type, an unknown
 * tenant. Rendered as OAuth JSON on tenant endpoints and as problem+json on the admin API.
 */
public final class HttpError extends RuntimeException {

  private final int status;
  private final String code;

  public HttpError(int status, String code, String message) {
    super(message, null, false, false);
    this.status = status;
    this.code = code;
  }

  public int status() {
    return status;
  }

  /** A short machine-readable code, e.g. {@code invalid_request}, {@code not_found}. */
  public String code() {
    return code;
  }

  public static HttpError notFound(String message) {
    return new HttpError(404, "not_found", message);
  }
}
