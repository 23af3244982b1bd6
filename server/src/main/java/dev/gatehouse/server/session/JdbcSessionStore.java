package dev.gatehouse.server.session;

import dev.gatehouse.server.store.Jdbc;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

/** {@link SessionStore} on the {@code sso_session} tables (V4__signin.sql). */
public final class JdbcSessionStore implements SessionStore {

  private final Jdbc jdbc;

  public JdbcSessionStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Session s, String cookieHash) {
    jdbc.update("insert into sso_session (tenant_id, sid, cookie_hash, user_id, auth_time, amr,"
            + " acr, created_at, expires_at, revoked) values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        s.tenantId(), s.sid(), cookieHash, s.userId(), s.authTime(), String.join(" ", s.amr()),
        s.acr(), s.createdAt(), s.expiresAt(), false);
  }

  @Override
  public Optional<Session> findByCookie(String tenantId, String cookieHash) {
    return jdbc.queryOne("select * from sso_session where tenant_id = ? and cookie_hash = ?"
        + " and revoked = false", JdbcSessionStore::map, tenantId, cookieHash);
  }

  @Override
  public Optional<Session> findForUpdate(String tenantId, String sid) {
    return jdbc.queryOne("select * from sso_session where tenant_id = ? and sid = ?"
        + " and revoked = false for update", JdbcSessionStore::map, tenantId, sid);
  }

  @Override
  public Optional<Session> find(String tenantId, String sid) {
    return jdbc.queryOne("select * from sso_session where tenant_id = ? and sid = ?"
        + " and revoked = false", JdbcSessionStore::map, tenantId, sid);
  }

  @Override
  public List<Session> listByUser(String tenantId, String userId, long now) {
    // Expired sessions wait for housekeeping's purge; an administrator must not see them as live.
    return jdbc.query("select * from sso_session where tenant_id = ? and user_id = ?"
        + " and revoked = false and expires_at > ? order by created_at desc",
        JdbcSessionStore::map, tenantId, userId, now);
  }

  @Override
  public List<Session> list(String tenantId, int limit, long now) {
    return jdbc.query("select * from sso_session where tenant_id = ? and revoked = false"
        + " and expires_at > ? order by created_at desc limit ?", JdbcSessionStore::map, tenantId,
        now, limit);
  }

  @Override
  public boolean revoke(String tenantId, String sid) {
    return jdbc.update("update sso_session set revoked = true where tenant_id = ? and sid = ?"
        + " and revoked = false", tenantId, sid) == 1;
  }

  @Override
  public int revokeByUser(String tenantId, String userId) {
    return jdbc.update("update sso_session set revoked = true where tenant_id = ? and user_id = ?"
        + " and revoked = false", tenantId, userId);
  }

  @Override
  public boolean reauthenticated(String tenantId, String sid, String cookieHash, List<String> amr,
      String acr, long authTime) {
    return jdbc.update("update sso_session set cookie_hash = ?, amr = ?, acr = ?, auth_time = ?"
        + " where tenant_id = ? and sid = ? and revoked = false", cookieHash, String.join(" ", amr),
        acr, authTime, tenantId, sid) == 1;
  }

  @Override
  public void addClient(String tenantId, String sid, String clientId) {
    jdbc.updateUnlessDuplicate(
        "insert into sso_session_client (tenant_id, sid, client_id) values (?, ?, ?)",
        tenantId, sid, clientId);
  }

  @Override
  public List<String> clients(String tenantId, String sid) {
    return jdbc.query("select client_id from sso_session_client where tenant_id = ? and sid = ?",
        rs -> rs.getString(1), tenantId, sid);
  }

  @Override
  public int purgeExpired(long now) {
    return jdbc.update("delete from sso_session where expires_at < ?", now);
  }

  private static Session map(ResultSet rs) throws SQLException {
    String amr = rs.getString("amr");
    return new Session(rs.getString("tenant_id"), rs.getString("sid"), rs.getString("user_id"),
        rs.getLong("auth_time"), amr.isBlank() ? List.of() : Arrays.asList(amr.split(" ")),
        rs.getString("acr"), rs.getLong("created_at"), rs.getLong("expires_at"));
  }
}
