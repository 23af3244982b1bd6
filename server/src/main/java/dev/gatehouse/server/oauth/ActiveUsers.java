package dev.gatehouse.server.oauth;

/**
 * Whether a user may still use what was issued to them: the user exists and is not disabled.
 * Asked wherever a credential issued earlier turns into new tokens (a code exchange, a refresh),
 * because a session, code or refresh token belongs to a user who must still be active.
 */
@FunctionalInterface
public interface ActiveUsers {

  boolean active(String tenantId, String userId);
}
