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

  /** Replaces every field but id and created_at; false when absent or the username is taken. */
  boolean update(User user);

  boolean delete(String tenantId, String userId);

  /**
   * Users ordered by username, after {@code afterUsername}, whose username or email starts with
   * {@code query} (case-insensitively; null for all).
   */
  List<User> list(String tenantId, String query, String afterUsername, int limit);
}
