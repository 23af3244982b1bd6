package dev.gatehouse.server.identity;

import java.util.Map;

/**
 * What an administrator gives to create a user: a password to hash, or an existing hash to import
 * (bcrypt, PBKDF2-SHA256 or Argon2id; upgraded to Argon2id at the next login), or neither.
 */
public record NewUser(
    String username,
    String email,
    Boolean emailVerified,
    String displayName,
    String password,
    String passwordHash,
    Map<String, Object> attributes,
    Map<String, Object> claims) {

  /** A user without standard claims beyond name and email. */
  public NewUser(String username, String email, Boolean emailVerified, String displayName,
      String password, String passwordHash, Map<String, Object> attributes) {
    this(username, email, emailVerified, displayName, password, passwordHash, attributes, null);
  }
}
