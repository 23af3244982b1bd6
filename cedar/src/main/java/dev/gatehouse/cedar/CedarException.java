package dev.gatehouse.cedar;

/** The base of every error this library reports about its input. */
public class CedarException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  public CedarException(String message) {
    super(message);
  }

  public CedarException(String message, Throwable cause) {
    super(message, cause);
  }
}
