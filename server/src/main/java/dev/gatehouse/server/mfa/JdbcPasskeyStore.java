package dev.gatehouse.server.mfa;

import dev.gatehouse.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.List;
import java.util.Optional;

/** {@link PasskeyStore} on the {@code webauthn_credential} table (V8__mfa.sql). */
public final class JdbcPasskeyStore implements PasskeyStore {

  private final Jdbc jdbc;

  public JdbcPasskeyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean insert(Passkey p) {
    return jdbc.updateUnlessDuplicate("insert into webauthn_credential (tenant_id, credential_id,"
        + " user_id, name, attested_data, sign_count, uv_initialized, backup_eligible,"
        + " backup_state, transports, created_at) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        p.tenantId(), p.credentialId(), p.userId(), p.name(), p.attestedData(), p.signCount(),
        p.uvInitialized(), p.backupEligible(), p.backupState(), p.transports(),
        p.createdAt()) == 1;
  }

  @Override
  public Optional<Passkey> find(String tenantId, String credentialId) {
    return jdbc.queryOne("select * from webauthn_credential where tenant_id = ? and"
        + " credential_id = ?", JdbcPasskeyStore::map, tenantId, credentialId);
  }

  @Override
  public List<Passkey> listByUser(String tenantId, String userId) {
    return jdbc.query("select * from webauthn_credential where tenant_id = ? and user_id = ?"
        + " order by created_at, credential_id", JdbcPasskeyStore::map, tenantId, userId);
  }

  @Override
  public boolean used(String tenantId, String credentialId, long signCount,
      boolean backupState, long now) {
    // Only forward (or 0 after 0, an authenticator without a counter): of two assertions checked
    // against the same stored count at once, a clone's and the original's, one fails here.
    return jdbc.update("update webauthn_credential set sign_count = ?, backup_state = ?,"
        + " last_used_at = ? where tenant_id = ? and credential_id = ? and (sign_count < ?"
        + " or (sign_count = 0 and ? = 0))", signCount, backupState, now, tenantId,
        credentialId, signCount, signCount) == 1;
  }

  @Override
  public boolean delete(String tenantId, String userId, String credentialId) {
    return jdbc.update("delete from webauthn_credential where tenant_id = ? and user_id = ? and"
        + " credential_id = ?", tenantId, userId, credentialId) == 1;
  }

  @Override
  public int deleteAll(String tenantId, String userId) {
    return jdbc.update("delete from webauthn_credential where tenant_id = ? and user_id = ?",
        tenantId, userId);
  }

  private static Passkey map(ResultSet rs) throws SQLException {
    long lastUsed = rs.getLong("last_used_at");
    return new Passkey(rs.getString("tenant_id"), rs.getString("credential_id"),
        rs.getString("user_id"), rs.getString("name"), rs.getString("attested_data"),
        rs.getLong("sign_count"), rs.getBoolean("uv_initialized"),
        rs.getBoolean("backup_eligible"), rs.getBoolean("backup_state"),
        rs.getString("transports"), rs.getLong("created_at"), rs.wasNull() ? null : lastUsed);
  }
}
