package dev.gatehouse.server.keys;

import dev.gatehouse.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link KeyStore} on the {@code signing_key} table (see V1__foundation.sql). */
public final class JdbcKeyStore implements KeyStore {

  private final Jdbc jdbc;

  public JdbcKeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public List<StoredKey> findByTenant(String tenantId) {
    return jdbc.query("select * from signing_key where tenant_id = ? order by created_at, kid",
        JdbcKeyStore::map, tenantId);
  }

  @Override
  public Optional<StoredKey> findActive(String tenantId, KeyAlgorithm alg) {
    // signing_key_state (tenant_id, alg, state) finds the row; usually there is exactly one.
    List<StoredKey> active = jdbc.query("select * from signing_key where tenant_id = ? and alg = ?"
        + " and state = 'active' order by created_at desc, kid desc",
        JdbcKeyStore::map, tenantId, alg.name());
    return active.isEmpty() ? Optional.empty() : Optional.of(active.get(0));
  }

  @Override
  public void insert(StoredKey k) {
    jdbc.update("insert into signing_key (tenant_id, kid, alg, state, public_jwk, private_key_enc,"
            + " created_at, retired_at, publish_until) values (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        k.tenantId(), k.kid(), k.alg().name(), k.state().dbValue(), k.publicJwk(),
        k.privateKeyEnc(), k.createdAt(), k.retiredAt(), k.publishUntil());
  }

  @Override
  public boolean rotate(String tenantId, KeyAlgorithm alg, String nextKid, long now,
      long publishUntil, StoredKey newNext) {
    return jdbc.inTransaction(c -> {
      int promoted = Jdbc.update(c, "update signing_key set state = 'active'"
          + " where tenant_id = ? and alg = ? and kid = ? and state = 'next'",
          tenantId, alg.name(), nextKid);
      if (promoted != 1) {
        // Nothing written: no rollback, which inside a caller's transaction would undo its work.
        return false;
      }
      Jdbc.update(c, "update signing_key set state = 'retired', retired_at = ?, publish_until = ?"
              + " where tenant_id = ? and alg = ? and state = 'active' and kid <> ?",
          now, publishUntil, tenantId, alg.name(), nextKid);
      Jdbc.update(c, "insert into signing_key (tenant_id, kid, alg, state, public_jwk,"
              + " private_key_enc, created_at) values (?, ?, ?, 'next', ?, ?, ?)",
          newNext.tenantId(), newNext.kid(), newNext.alg().name(), newNext.publicJwk(),
          newNext.privateKeyEnc(), newNext.createdAt());
      return true;
    });
  }

  @Override
  public int purgeRetired(String tenantId, long now) {
    return jdbc.update("delete from signing_key where tenant_id = ? and state = 'retired'"
        + " and publish_until < ?", tenantId, now);
  }

  private static StoredKey map(ResultSet rs) throws SQLException {
    return new StoredKey(
        rs.getString("tenant_id"),
        rs.getString("kid"),
        KeyAlgorithm.valueOf(rs.getString("alg")),
        KeyState.fromDb(rs.getString("state")),
        rs.getString("public_jwk"),
        rs.getString("private_key_enc"),
        rs.getLong("created_at"),
        Jdbc.nullableLong(rs, "retired_at"),
        Jdbc.nullableLong(rs, "publish_until"));
  }
}
