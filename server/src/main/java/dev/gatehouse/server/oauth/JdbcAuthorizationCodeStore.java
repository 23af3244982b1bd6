package dev.gatehouse.server.oauth;

import dev.gatehouse.server.store.Jdbc;
import java.util.List;
import java.util.Optional;

/** {@link AuthorizationCodeStore} on the {@code authorization_code} table (V4__signin.sql). */
public final class JdbcAuthorizationCodeStore implements AuthorizationCodeStore {

  private final Jdbc jdbc;

  public JdbcAuthorizationCodeStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(Code c) {
    jdbc.update("insert into authorization_code (tenant_id, code_hash, client_id, redirect_uri,"
            + " code_challenge, nonce, scope, userinfo_claims, id_token_claims, user_id, sid,"
            + " auth_time, amr, acr, expires_at, used)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        c.tenantId(), c.codeHash(), c.clientId(), c.redirectUri(), c.codeChallenge(), c.nonce(),
        Scopes.join(c.scope()), RequestedClaims.join(c.claims().userinfo()),
        RequestedClaims.join(c.claims().idToken()), c.userId(), c.sid(), c.authTime(), c.amr(),
        c.acr(),
        c.expiresAt(), false);
  }

  @Override
  public Optional<Code> find(String tenantId, String codeHash) {
    return jdbc.queryOne("select * from authorization_code where tenant_id = ? and code_hash = ?",
        rs -> new Code(rs.getString("tenant_id"), rs.getString("code_hash"),
            rs.getString("client_id"), rs.getString("redirect_uri"),
            rs.getString("code_challenge"), rs.getString("nonce"),
            Scopes.parse(rs.getString("scope")), new RequestedClaims(
                RequestedClaims.parse(rs.getString("userinfo_claims")),
                RequestedClaims.parse(rs.getString("id_token_claims"))),
            rs.getString("user_id"), rs.getString("sid"),
            rs.getLong("auth_time"), rs.getString("amr"), rs.getString("acr"),
            rs.getLong("expires_at"), rs.getBoolean("used")),
        tenantId, codeHash);
  }

  @Override
  public boolean markUsed(String tenantId, String codeHash) {
    return jdbc.update("update authorization_code set used = true where tenant_id = ?"
        + " and code_hash = ? and used = false", tenantId, codeHash) == 1;
  }

  @Override
  public boolean recordIssued(String tenantId, String codeHash, String accessTokenRef,
      String refreshFamily) {
    return jdbc.update("update authorization_code set access_token_ref = ?, refresh_family = ?"
        + " where tenant_id = ? and code_hash = ? and replayed = false", accessTokenRef,
        refreshFamily, tenantId, codeHash) == 1;
  }

  @Override
  public void markReplayed(String tenantId, String codeHash) {
    jdbc.update("update authorization_code set replayed = true where tenant_id = ?"
        + " and code_hash = ?", tenantId, codeHash);
  }

  @Override
  public String[] issued(String tenantId, String codeHash) {
    return jdbc.queryOne("select access_token_ref, refresh_family from authorization_code"
            + " where tenant_id = ? and code_hash = ?",
        rs -> new String[] {rs.getString(1), rs.getString(2)}, tenantId, codeHash)
        .orElse(new String[2]);
  }

  @Override
  public List<String> accessTokenRefsOfUser(String tenantId, String userId) {
    return jdbc.query("select access_token_ref from authorization_code where tenant_id = ?"
            + " and user_id = ? and access_token_ref is not null", rs -> rs.getString(1),
        tenantId, userId);
  }

  @Override
  public int purgeExpired(long now) {
    // Kept a while past expiry so that a late replay still finds the row and revokes its tokens.
    return jdbc.update("delete from authorization_code where expires_at < ?", now - 3600);
  }
}
