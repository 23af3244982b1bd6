package dev.gatehouse.server.identity;

import java.util.List;
import java.util.Optional;

/** Persistence of users; every call names the tenant. */
public interface UserStore {

  Optional<User> find(String tenantId, String userId);

  /** By username, case-insensitively. */
  Optional<User> findByUsername(String tenantId, String username);

  /** Inserts; false when the username is taken. */
  boolean insert(User user);

  /**
   * Replaces every field but id, created_at and the password hash; false when absent or the
   * username is taken. (The hash has its own writes: a profile change read before a password
   * reset must not write the old hash back.)
   */
  boolean update(User user);

  /**
   * The user, its row locked until the caller's transaction ends (outside one, not locked): a
   * change computed from it cannot be overwritten by, or overwrite, another made meanwhile.
   */
  Optional<User> findForUpdate(String tenantId, String userId);

  /** Sets the password hash; false when the user is absent. */
  boolean setPasswordHash(String tenantId, String userId, String hash, long updatedAt);

  /**
   * Replaces {@code oldHash} by {@code newHash} only if the user still has {@code oldHash} and is
   * not disabled: a rehash at sign-in must not undo a password reset or a disable made while the
   * password was being checked. False when it did not.
   */
  boolean rehash(String tenantId, String userId, String oldHash, String newHash, long updatedAt);

  boolean delete(String tenantId, String userId);

  /**
   * Users ordered by username, after {@code afterUsername}, whose username or email starts with
   * {@code query} (case-insensitively; null for all).
   */
  List<User> list(String tenantId, String query, String afterUsername, int limit);
}
