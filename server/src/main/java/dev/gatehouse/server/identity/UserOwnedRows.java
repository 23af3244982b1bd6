package dev.gatehouse.server.identity;

/**
 * Rows another part keeps about a user (second factors, consents). {@link UserService} deletes
 * them in the transaction that deletes the user, so that nothing of a deleted user is left behind
 * to be read back or to be inherited by a later user with the same id.
 *
 * <p>Not foreign keys to the user: those tables are also written for users that exist only in
 * tests, and a foreign key would tie every part's schema to the user table.
 */
@FunctionalInterface
public interface UserOwnedRows {

  /** Deletes every row of {@code userId} at {@code tenantId}, in the caller's transaction. */
  void deleteAll(String tenantId, String userId);
}
