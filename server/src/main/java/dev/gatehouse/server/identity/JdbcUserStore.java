package dev.gatehouse.server.identity;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.gatehouse.server.store.Jdbc;
import java.io.IOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;

/** {@link UserStore} on the {@code app_user} table (V3__identity.sql). */
public final class JdbcUserStore implements UserStore {

  private static final ObjectMapper JSON = new ObjectMapper();
  private final Jdbc jdbc;

  public JdbcUserStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  static String key(String username) {
    return username.toLowerCase(Locale.ROOT);
  }

  @Override
  public Optional<User> find(String tenantId, String userId) {
    return jdbc.queryOne("select * from app_user where tenant_id = ? and id = ?",
        JdbcUserStore::map, tenantId, userId);
  }

  @Override
  public Optional<User> findForUpdate(String tenantId, String userId) {
    return jdbc.queryOne("select * from app_user where tenant_id = ? and id = ? for update",
        JdbcUserStore::map, tenantId, userId);
  }

  @Override
  public boolean setPasswordHash(String tenantId, String userId, String hash, long updatedAt) {
    return jdbc.update("update app_user set password_hash = ?, updated_at = ? where tenant_id = ?"
        + " and id = ?", hash, updatedAt, tenantId, userId) == 1;
  }

  @Override
  public boolean rehash(String tenantId, String userId, String oldHash, String newHash,
      long updatedAt) {
    return jdbc.update("update app_user set password_hash = ?, updated_at = ? where tenant_id = ?"
        + " and id = ? and password_hash = ? and disabled = false", newHash, updatedAt, tenantId,
        userId, oldHash) == 1;
  }

  @Override
  public Optional<User> findByUsername(String tenantId, String username) {
    return jdbc.queryOne("select * from app_user where tenant_id = ? and username_key = ?",
        JdbcUserStore::map, tenantId, key(username));
  }

  @Override
  public boolean insert(User u) {
    return jdbc.updateUnlessDuplicate(
        "insert into app_user (tenant_id, id, username, username_key, email,"
            + " email_verified, display_name, password_hash, disabled, attributes, claims,"
            + " created_at, updated_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        u.tenantId(), u.id(), u.username(), key(u.username()), u.email(), u.emailVerified(),
        u.displayName(), u.passwordHash(), u.disabled(), json(u.attributes()), json(u.claims()),
        u.createdAt(),
        u.updatedAt()) == 1;
  }

  @Override
  public boolean update(User u) {
    return jdbc.updateUnlessDuplicate(
        "update app_user set username = ?, username_key = ?, email = ?,"
            + " email_verified = ?, display_name = ?, disabled = ?,"
            + " attributes = ?, claims = ?, updated_at = ? where tenant_id = ? and id = ?",
        u.username(), key(u.username()), u.email(), u.emailVerified(), u.displayName(),
        u.disabled(), json(u.attributes()), json(u.claims()), u.updatedAt(),
        u.tenantId(),
        u.id()) == 1;
  }

  @Override
  public boolean delete(String tenantId, String userId) {
    return jdbc.update("delete from app_user where tenant_id = ? and id = ?", tenantId,
        userId) == 1;
  }

  @Override
  public List<User> list(String tenantId, String query, String afterUsername, int limit) {
    String after = afterUsername == null ? "" : key(afterUsername);
    if (query == null || query.isEmpty()) {
      return jdbc.query("select * from app_user where tenant_id = ? and username_key > ?"
          + " order by username_key limit ?", JdbcUserStore::map, tenantId, after, limit);
    }
    String prefix = escapeLike(query.toLowerCase(Locale.ROOT)) + "%";
    return jdbc.query("select * from app_user where tenant_id = ? and username_key > ?"
            + " and (username_key like ? escape '!' or lower(email) like ? escape '!')"
            + " order by username_key limit ?",
        JdbcUserStore::map, tenantId, after, prefix, prefix, limit);
  }

  private static String escapeLike(String s) {
    return s.replace("!", "!!").replace("%", "!%").replace("_", "!_");
  }

  private static String json(Map<String, Object> attributes) {
    try {
      return JSON.writeValueAsString(attributes == null ? Map.of() : attributes);
    } catch (IOException e) {
      throw new IllegalArgumentException(e);
    }
  }

  private static User map(ResultSet rs) throws SQLException {
    Map<String, Object> attrs = object(rs.getString("attributes"));
    // Null for rows written before the column existed (or by a node of the previous version).
    String claims = rs.getString("claims");
    Map<String, Object> standard = claims == null ? Map.of() : object(claims);
    return new User(rs.getString("tenant_id"), rs.getString("id"), rs.getString("username"),
        rs.getString("email"), rs.getBoolean("email_verified"), rs.getString("display_name"),
        rs.getString("password_hash"), rs.getBoolean("disabled"), attrs, standard,
        rs.getLong("created_at"), rs.getLong("updated_at"));
  }

  private static Map<String, Object> object(String json) {
    try {
      return JSON.readValue(json, new TypeReference<>() {});
    } catch (IOException e) {
      return Map.of();
    }
  }
}
