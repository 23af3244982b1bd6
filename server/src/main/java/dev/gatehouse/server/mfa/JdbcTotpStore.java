package dev.gatehouse.server.mfa;

import dev.gatehouse.server.store.Jdbc;
import java.util.Optional;

/** {@link TotpStore} on the {@code mfa_totp} table (V8__mfa.sql). */
public final class JdbcTotpStore implements TotpStore {

  private final Jdbc jdbc;

  public JdbcTotpStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public boolean putPending(Entry e) {
    jdbc.update("delete from mfa_totp where tenant_id = ? and user_id = ? and confirmed = false",
        e.tenantId(), e.userId());
    return jdbc.updateUnlessDuplicate("insert into mfa_totp (tenant_id, user_id, secret_enc,"
        + " confirmed, last_step, created_at) values (?, ?, ?, ?, ?, ?)", e.tenantId(), e.userId(),
        e.secretEnc(), false, -1L, e.createdAt()) == 1;
  }

  @Override
  public Optional<Entry> find(String tenantId, String userId) {
    return jdbc.queryOne("select * from mfa_totp where tenant_id = ? and user_id = ?",
        rs -> new Entry(rs.getString("tenant_id"), rs.getString("user_id"),
            rs.getString("secret_enc"), rs.getBoolean("confirmed"), rs.getLong("last_step"),
            rs.getLong("created_at")), tenantId, userId);
  }

  @Override
  public boolean confirm(String tenantId, String userId, String secretEnc, long step) {
    return jdbc.update("update mfa_totp set confirmed = true, last_step = ? where tenant_id = ?"
        + " and user_id = ? and confirmed = false and secret_enc = ?", step, tenantId, userId,
        secretEnc) == 1;
  }

  @Override
  public boolean advance(String tenantId, String userId, long step) {
    return jdbc.update("update mfa_totp set last_step = ? where tenant_id = ? and user_id = ?"
        + " and confirmed = true and last_step < ?", step, tenantId, userId, step) == 1;
  }

  @Override
  public boolean delete(String tenantId, String userId) {
    return jdbc.update("delete from mfa_totp where tenant_id = ? and user_id = ?", tenantId,
        userId) == 1;
  }
}
