package dev.gatehouse.server.policy;

import dev.gatehouse.server.store.Jdbc;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/** {@link PolicyStore} on the {@code policy_version}, {@code policy_entity} tables. */
public final class JdbcPolicyStore implements PolicyStore {

  private static final String SUMMARY = "select tenant_id, version, schema_format, '' as"
      + " schema_text, '' as policies, '[]' as links, author, message, copied_from, created_at"
      + " from policy_version";

  private final Jdbc jdbc;

  public JdbcPolicyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<PolicyVersion> latest(String tenantId) {
    return jdbc.queryOne("select * from policy_version where tenant_id = ? order by version desc"
        + " limit 1", JdbcPolicyStore::map, tenantId);
  }

  @Override
  public long latestVersion(String tenantId) {
    return jdbc.queryOne("select max(version) from policy_version where tenant_id = ?",
        rs -> rs.getLong(1), tenantId).orElse(0L);
  }

  @Override
  public Optional<PolicyVersion> find(String tenantId, long version) {
    return jdbc.queryOne("select * from policy_version where tenant_id = ? and version = ?",
        JdbcPolicyStore::map, tenantId, version);
  }

  @Override
  public List<PolicyVersion> history(String tenantId, long beforeVersion, int limit) {
    // Admin history only: tolerates replica lag.
    return jdbc.replicaQuery(SUMMARY + " where tenant_id = ? and version < ? order by version desc"
        + " limit ?", JdbcPolicyStore::map, tenantId,
        beforeVersion <= 0 ? Long.MAX_VALUE : beforeVersion, limit);
  }

  @Override
  public boolean insert(PolicyVersion v) {
    return jdbc.updateUnlessDuplicate(
        "insert into policy_version (tenant_id, version, schema_format, schema_text,"
        + " policies, links, author, message, copied_from, created_at)"
        + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)", v.tenantId(), v.version(), v.schemaFormat(),
        v.schemaText(), v.policies(), v.links(), v.author(), v.message(), v.copiedFrom(),
        v.createdAt()) == 1;
  }

  @Override
  public long entityVersion(String tenantId) {
    return jdbc.queryOne("select version from policy_entity_version where tenant_id = ?",
        rs -> rs.getLong(1), tenantId).orElse(0L);
  }

  @Override
  public StoredEntities entities(String tenantId) {
    return jdbc.inTransaction(c -> {
      long version = Jdbc.query(c, "select version from policy_entity_version where tenant_id = ?",
          rs -> rs.getLong(1), tenantId).stream().findFirst().orElse(0L);
      List<String> bodies = Jdbc.query(c, "select body from policy_entity where tenant_id = ?",
          rs -> rs.getString(1), tenantId);
      return new StoredEntities(version, bodies);
    });
  }

  @Override
  public long changeEntities(String tenantId, Collection<StoredEntity> upserts,
      Collection<String> deletes, long now) {
    return jdbc.inTransaction(c -> {
      // Lock the version row first, so concurrent writers of one tenant serialise here.
      long version = bump(c, tenantId);
      try (PreparedStatement del = c.prepareStatement(
          "delete from policy_entity where tenant_id = ? and uid = ?")) {
        for (String uid : deletes) {
          del.setString(1, tenantId);
          del.setString(2, uid);
          del.addBatch();
        }
        for (StoredEntity e : upserts) {
          del.setString(1, tenantId);
          del.setString(2, e.uid());
          del.addBatch();
        }
        del.executeBatch();
      }
      try (PreparedStatement ins = c.prepareStatement(
          "insert into policy_entity (tenant_id, uid, body, updated_at) values (?, ?, ?, ?)")) {
        for (StoredEntity e : upserts) {
          ins.setString(1, tenantId);
          ins.setString(2, e.uid());
          ins.setString(3, e.body());
          ins.setLong(4, now);
          ins.addBatch();
        }
        ins.executeBatch();
      }
      return version;
    });
  }

  @Override
  public long bumpEntityVersion(String tenantId) {
    return jdbc.inTransaction(c -> bump(c, tenantId));
  }

  private static long bump(Connection c, String tenantId) throws SQLException {
    String up = "update policy_entity_version set version = version + 1 where tenant_id = ?";
    if (Jdbc.update(c, up, tenantId) == 0
        && Jdbc.update(c, "insert into policy_entity_version (tenant_id, version) values (?, 1)"
            + " on conflict do nothing", tenantId) == 0) {
      // A concurrent first writer inserted the row: bump it instead.
      Jdbc.update(c, up, tenantId);
    }
    return Jdbc.query(c, "select version from policy_entity_version where tenant_id = ?",
        rs -> rs.getLong(1), tenantId).get(0);
  }

  @Override
  public List<StoredEntity> listEntities(String tenantId, String afterUid, int limit) {
    // Admin listing only (snapshots for decisions read the primary): tolerates replica lag.
    return jdbc.replicaQuery("select uid, body from policy_entity where tenant_id = ? and uid > ?"
        + " order by uid limit ?", rs -> new StoredEntity(rs.getString(1), rs.getString(2)),
        tenantId, afterUid == null ? "" : afterUid, limit);
  }

  @Override
  public int countEntities(String tenantId) {
    return jdbc.queryOne("select count(*) from policy_entity where tenant_id = ?",
        rs -> rs.getInt(1), tenantId).orElse(0);
  }

  private static PolicyVersion map(ResultSet rs) throws SQLException {
    return new PolicyVersion(rs.getString("tenant_id"), rs.getLong("version"),
        rs.getString("schema_format"), rs.getString("schema_text"), rs.getString("policies"),
        rs.getString("links"), rs.getString("author"), rs.getString("message"),
        Jdbc.nullableLong(rs, "copied_from"), rs.getLong("created_at"));
  }
}
