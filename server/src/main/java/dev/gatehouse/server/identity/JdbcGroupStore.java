package dev.gatehouse.server.identity;

import dev.gatehouse.server.store.Jdbc;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/** {@link GroupStore} on user_group, group_member and user_role (V3__identity.sql). */
public final class JdbcGroupStore implements GroupStore {

  private final Jdbc jdbc;

  public JdbcGroupStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<Group> find(String tenantId, String name) {
    return jdbc.queryOne("select * from user_group where tenant_id = ? and name = ?",
        rs -> new Group(rs.getString("tenant_id"), rs.getString("name"), rs.getString("parent"),
            rs.getString("description"), rs.getLong("created_at")), tenantId, name);
  }

  @Override
  public boolean insert(Group g) {
    return jdbc.updateUnlessDuplicate(
        "insert into user_group (tenant_id, name, parent, description, created_at)"
        + " values (?, ?, ?, ?, ?)", g.tenantId(), g.name(), g.parent(), g.description(),
        g.createdAt()) == 1;
  }

  @Override
  public boolean delete(String tenantId, String name) {
    return jdbc.inTransaction(c -> {
      // Children keep existing, without their parent.
      Jdbc.update(c, "update user_group set parent = null where tenant_id = ? and parent = ?",
          tenantId, name);
      return Jdbc.update(c, "delete from user_group where tenant_id = ? and name = ?", tenantId,
          name) == 1;
    });
  }

  @Override
  public List<Group> list(String tenantId) {
    return jdbc.query("select * from user_group where tenant_id = ? order by name",
        rs -> new Group(rs.getString("tenant_id"), rs.getString("name"), rs.getString("parent"),
            rs.getString("description"), rs.getLong("created_at")), tenantId);
  }

  @Override
  public boolean addMember(String tenantId, String groupName, String userId) {
    return jdbc.updateUnlessDuplicate(
        "insert into group_member (tenant_id, group_name, user_id) values (?, ?, ?)",
        tenantId, groupName, userId) == 1;
  }

  @Override
  public boolean removeMember(String tenantId, String groupName, String userId) {
    return jdbc.update("delete from group_member where tenant_id = ? and group_name = ?"
        + " and user_id = ?", tenantId, groupName, userId) == 1;
  }

  @Override
  public Set<String> groupsOf(String tenantId, String userId) {
    return new LinkedHashSet<>(jdbc.query("select group_name from group_member where"
        + " tenant_id = ? and user_id = ? order by group_name", rs -> rs.getString(1), tenantId,
        userId));
  }

  @Override
  public Set<String> rolesOf(String tenantId, String userId) {
    return new LinkedHashSet<>(jdbc.query("select role from user_role where tenant_id = ?"
        + " and user_id = ? order by role", rs -> rs.getString(1), tenantId, userId));
  }

  @Override
  public java.util.Map<String, Set<String>> memberships(String tenantId) {
    return pairs("select user_id, group_name from group_member where tenant_id = ?", tenantId);
  }

  @Override
  public java.util.Map<String, Set<String>> roles(String tenantId) {
    return pairs("select user_id, role from user_role where tenant_id = ?", tenantId);
  }

  private java.util.Map<String, Set<String>> pairs(String sql, String tenantId) {
    java.util.Map<String, Set<String>> out = new java.util.HashMap<>();
    for (String[] row : jdbc.query(sql, rs -> new String[] {rs.getString(1), rs.getString(2)},
        tenantId)) {
      out.computeIfAbsent(row[0], k -> new LinkedHashSet<>()).add(row[1]);
    }
    return out;
  }

  @Override
  public void setRoles(String tenantId, String userId, Set<String> roles) {
    jdbc.inTransaction(c -> {
      // The user's row orders two replacements at once: without it, the second's delete skips
      // the first's new rows (not in its snapshot), and the user keeps both sets of roles.
      Jdbc.query(c, "select id from app_user where tenant_id = ? and id = ? for update",
          rs -> rs.getString(1), tenantId, userId);
      Jdbc.update(c, "delete from user_role where tenant_id = ? and user_id = ?", tenantId,
          userId);
      for (String role : roles) {
        Jdbc.update(c, "insert into user_role (tenant_id, user_id, role) values (?, ?, ?)",
            tenantId, userId, role);
      }
      return null;
    });
  }
}
