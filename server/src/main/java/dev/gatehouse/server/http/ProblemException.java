package dev.gatehouse.server.http;

/** An admin API error, rendered as {@code application/problem+json} (RFC 9457). */
public final class ProblemException extends RuntimeException {

  private final int status;

  public ProblemException(int status, String detail) {
    super(detail, null, false, false);
    this.status = status;
  }

  public int status() {
    return status;
  }

  public String title() {
    return Handlers.title(status);
  }
}
