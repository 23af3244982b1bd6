package dev.gatehouse.server.mfa;

import dev.gatehouse.server.store.Jdbc;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** {@link MfaPolicyStore} on the {@code mfa_settings} table (V8__mfa.sql). */
public final class JdbcMfaPolicyStore implements MfaPolicyStore {

  private final Jdbc jdbc;

  public JdbcMfaPolicyStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Optional<MfaPolicy> find(String tenantId) {
    return jdbc.queryOne("select * from mfa_settings where tenant_id = ?", rs -> new MfaPolicy(
        MfaPolicy.Mode.parse(rs.getString("policy")), split(rs.getString("required_groups")),
        split(rs.getString("required_roles")), rs.getString("rp_id"),
        split(rs.getString("origins"))), tenantId);
  }

  @Override
  public void put(String tenantId, MfaPolicy p, long now) {
    Object[] values = {p.mode().value(), String.join(" ", p.requiredGroups()),
        String.join(" ", p.requiredRoles()), p.rpId(), String.join(" ", p.origins()), now,
        tenantId};
    jdbc.inTransaction(c -> {
      // The tenant's row orders two puts at once (else both insert, the second meets a key: 503).
      Jdbc.query(c, "select id from tenant where id = ? for update", rs -> rs.getString(1),
          tenantId);
      if (Jdbc.update(c, "update mfa_settings set policy = ?, required_groups = ?,"
          + " required_roles = ?, rp_id = ?, origins = ?, updated_at = ? where tenant_id = ?",
          values) == 0) {
        Jdbc.update(c, "insert into mfa_settings (policy, required_groups, required_roles, rp_id,"
            + " origins, updated_at, tenant_id) values (?, ?, ?, ?, ?, ?, ?)", values);
      }
      return null;
    });
  }

  private static Set<String> split(String s) {
    return s == null || s.isBlank() ? Set.of()
        : new LinkedHashSet<>(Arrays.asList(s.trim().split(" +")));
  }
}
