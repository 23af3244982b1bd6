package dev.gatehouse.server.identity;

/** A user or group request that cannot be carried out; {@link #conflict()} for taken names. */
public final class IdentityException extends RuntimeException {

  private final boolean conflict;

  public IdentityException(String message, boolean conflict) {
    super(message, null, false, false);
    this.conflict = conflict;
  }

  public static IdentityException invalid(String message) {
    return new IdentityException(message, false);
  }

  public static IdentityException conflict(String message) {
    return new IdentityException(message, true);
  }

  public boolean conflict() {
    return conflict;
  }
}
