package dev.gatehouse.server.session;

import dev.gatehouse.server.store.Jdbc;
import dev.gatehouse.server.store.StoreException;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
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
  public List<String> clients(String tenantId, String userId) {
    return jdbc.query("select client_id from user_consent where tenant_id = ? and user_id = ?"
        + " order by client_id", rs -> rs.getString(1), tenantId, userId);
  }

  /** Attempts of a grant that met another grant of the same consent (two tabs, two clicks). */
  private static final int GRANT_ATTEMPTS = 5;

  /**
   * Adds {@code scope} to what the user granted the client. Optimistic: the row is read, then
   * written only if it is still what was read (inserted if there was none), so two grants at once
   * cannot drop each other's scopes; the one that loses the race reads again and adds its own.
   */
  @Override
  public void grant(String tenantId, String userId, String clientId, Set<String> scope,
      long now) {
    // In one transaction (the caller's, when it has one: the grant is written with its event),
    // each attempt reading what the others committed (read committed).
    boolean done = jdbc.inTransaction(c -> {
      for (int attempt = 1; attempt <= GRANT_ATTEMPTS; attempt++) {
        if (grantOnce(c, tenantId, userId, clientId, scope, now)) {
          return true;
        }
      }
      return false;
    });
    if (done) {
      return;
    }
    throw StoreException.busy("consent changed concurrently " + GRANT_ATTEMPTS + " times");
  }

  /** One attempt: false when another grant changed the row since it was read. */
  private static boolean grantOnce(Connection c, String tenantId, String userId, String clientId,
      Set<String> scope, long now) throws SQLException {
    List<String> rows = Jdbc.query(c, "select scope from user_consent where tenant_id = ?"
        + " and user_id = ? and client_id = ?", rs -> rs.getString(1), tenantId, userId, clientId);
    Set<String> all = new LinkedHashSet<>();
    rows.forEach(s -> all.addAll(Arrays.asList(s.split(" "))));
    all.addAll(scope);
    all.remove("");
    String merged = String.join(" ", all);
    if (rows.isEmpty()) {
      // A concurrent first grant makes this a duplicate key. Back to before it (a failed
      // statement aborts a PostgreSQL transaction) and try again, now seeing that grant.
      Savepoint before = c.setSavepoint();
      try {
        Jdbc.update(c, "insert into user_consent (tenant_id, user_id, client_id, scope,"
            + " granted_at) values (?, ?, ?, ?, ?)", tenantId, userId, clientId, merged, now);
      } catch (SQLException e) {
        if (!"23505".equals(e.getSQLState())) {  // unique violation, H2 and PostgreSQL
          throw e;
        }
        c.rollback(before);
        return false;
      }
      c.releaseSavepoint(before);
      return true;
    }
    return Jdbc.update(c, "update user_consent set scope = ?, granted_at = ? where tenant_id = ?"
        + " and user_id = ? and client_id = ? and scope = ?", merged, now, tenantId, userId,
        clientId, rows.get(0)) == 1;
  }

  @Override
  public int deleteAll(String tenantId, String userId) {
    return jdbc.update("delete from user_consent where tenant_id = ? and user_id = ?", tenantId,
        userId);
  }
}
