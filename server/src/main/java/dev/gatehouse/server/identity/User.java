package dev.gatehouse.server.identity;

import java.util.Map;

/**
 * A person who signs in to a tenant.
 *
 * @param passwordHash a PHC string (or an imported bcrypt/PBKDF2 hash); null without a password
 * @param attributes custom attributes, JSON values by name (projected into Cedar entities)
 * @param claims standard claims beyond the fields above ({@link StandardClaims})
 */
public record User(
    String tenantId,
    String id,
    String username,
    String email,
    boolean emailVerified,
    String displayName,
    String passwordHash,
    boolean disabled,
    Map<String, Object> attributes,
    Map<String, Object> claims,
    long createdAt,
    long updatedAt) {

  public User withPasswordHash(String hash, long now) {
    return new User(tenantId, id, username, email, emailVerified, displayName, hash, disabled,
        attributes, claims, createdAt, now);
  }
}
