package dev.gatehouse.server.identity;

import dev.gatehouse.server.store.Jdbc;

/** {@link PasswordPolicyStore} on the {@code password_policy} table. */
public final class JdbcPasswordPolicyStore implements PasswordPolicyStore {

  private final Jdbc jdbc;

  public JdbcPasswordPolicyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public PasswordPolicy find(String tenantId) {
    return jdbc.queryOne("select min_length, refuse_common from password_policy"
            + " where tenant_id = ?",
        rs -> new PasswordPolicy(rs.getInt(1), rs.getBoolean(2)), tenantId)
        .orElse(PasswordPolicy.DEFAULT);
  }

  @Override
  public void put(String tenantId, PasswordPolicy policy) {
    jdbc.inTransaction(c -> {
      // The tenant's row orders two puts at once (else the second meets the first's key: 503).
      Jdbc.query(c, "select id from tenant where id = ? for update", rs -> rs.getString(1),
          tenantId);
      Jdbc.update(c, "delete from password_policy where tenant_id = ?", tenantId);
      Jdbc.update(c, "insert into password_policy (tenant_id, min_length, refuse_common)"
          + " values (?, ?, ?)", tenantId, policy.minLength(), policy.refuseCommon());
      return null;
    });
  }
}
