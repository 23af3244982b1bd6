package dev.gatehouse.server.session;

import dev.gatehouse.server.store.Jdbc;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Set;

/** {@link ConsentStore} on the {@code user_consent} table (V4__signin.sql). */
public final class JdbcConsentStore implements ConsentStore {

  private final Jdbc jdbc;

  public JdbcConsentStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public Set<String> granted(String tenantId, String userId, String clientId) {
    return jdbc.queryOne("select scope from user_consent where tenant_id = ? and user_id = ?"
            + " and client_id = ?", rs -> rs.getString(1), tenantId, userId, clientId)
        .map(s -> s.isBlank() ? Set.<String>of() : Set.copyOf(Arrays.asList(s.split(" "))))
        .orElse(Set.of());
  }

  @Override
  public void grant(String tenantId, String userId, String clientId, Set<String> scope,
      long now) {
    jdbc.inTransaction(c -> {
      Set<String> all = new LinkedHashSet<>();
      for (String s : Jdbc.query(c, "select scope from user_consent where tenant_id = ?"
          + " and user_id = ? and client_id = ?", rs -> rs.getString(1), tenantId, userId,
          clientId)) {
        all.addAll(Arrays.asList(s.split(" ")));
      }
      all.addAll(scope);
      all.remove("");
      Jdbc.update(c, "delete from user_consent where tenant_id = ? and user_id = ?"
          + " and client_id = ?", tenantId, userId, clientId);
      Jdbc.update(c, "insert into user_consent (tenant_id, user_id, client_id, scope, granted_at)"
          + " values (?, ?, ?, ?, ?)", tenantId, userId, clientId, String.join(" ", all), now);
      return null;
    });
  }

  @Override
  public int deleteAll(String tenantId, String userId) {
    return jdbc.update("delete from user_consent where tenant_id = ? and user_id = ?", tenantId,
        userId);
  }
}
