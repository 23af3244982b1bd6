package dev.gatehouse.server.mfa;

import dev.gatehouse.server.store.Jdbc;
import java.util.List;

/** {@link RecoveryCodeStore} on the {@code mfa_recovery_code} table (V8__mfa.sql). */
public final class JdbcRecoveryCodeStore implements RecoveryCodeStore {

  private final Jdbc jdbc;

  public JdbcRecoveryCodeStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void replaceAll(String tenantId, String userId, List<String> hashes, long now) {
    jdbc.inTransaction(c -> {
      // The user's row orders two regenerations at once: without it, the second's delete skips
      // the first's new codes (not in its snapshot) and both sets stay valid.
      Jdbc.query(c, "select id from app_user where tenant_id = ? and id = ? for update",
          rs -> rs.getString(1), tenantId, userId);
      Jdbc.update(c, "delete from mfa_recovery_code where tenant_id = ? and user_id = ?",
          tenantId, userId);
      for (String h : hashes) {
        Jdbc.update(c, "insert into mfa_recovery_code (tenant_id, user_id, code_hash, created_at)"
            + " values (?, ?, ?, ?)", tenantId, userId, h, now);
      }
      return null;
    });
  }

  @Override
  public boolean use(String tenantId, String userId, String hash, long now) {
    // INVARIANT: the conditional update is what makes a code single-use across nodes.
    return jdbc.update("update mfa_recovery_code set used_at = ? where tenant_id = ? and user_id"
        + " = ? and code_hash = ? and used_at is null", now, tenantId, userId, hash) == 1;
  }

  @Override
  public int remaining(String tenantId, String userId) {
    return jdbc.queryOne("select count(*) from mfa_recovery_code where tenant_id = ? and user_id"
        + " = ? and used_at is null", rs -> rs.getInt(1), tenantId, userId).orElse(0);
  }

  @Override
  public int deleteAll(String tenantId, String userId) {
    return jdbc.update("delete from mfa_recovery_code where tenant_id = ? and user_id = ?",
        tenantId, userId);
  }
}
