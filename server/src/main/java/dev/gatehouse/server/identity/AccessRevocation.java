package dev.gatehouse.server.identity;

/**
 * Ends what was issued to a user: SSO sessions, refresh tokens, access tokens. {@link UserService}
 * calls it when a user stops being who the credentials were issued to (disabled, deleted, given
 * a new password by an administrator, or stripped of their second factors by one), in the
 * transaction of that change; the token side implements it.
 */
@FunctionalInterface
public interface AccessRevocation {

  /** Why a user's access ends, as the event says. */
  enum Reason {
    DISABLED, DELETED, PASSWORD_RESET, FACTORS_RESET;

    /**
     * The event's {@code reason}: {@code disabled}, {@code deleted}, {@code password_reset},
     * {@code factors_reset}.
     */
    public String value() {
      return name().toLowerCase(java.util.Locale.ROOT);
    }
  }

  void revokeAll(String tenantId, String userId, Reason reason);
}
