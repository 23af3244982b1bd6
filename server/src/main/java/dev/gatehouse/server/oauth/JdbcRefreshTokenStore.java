package dev.gatehouse.server.oauth;

import dev.gatehouse.server.store.Jdbc;
import java.util.List;
import java.util.Optional;

/** {@link RefreshTokenStore} on the {@code refresh_token} table (V4__signin.sql). */
public final class JdbcRefreshTokenStore implements RefreshTokenStore {

  private final Jdbc jdbc;

  public JdbcRefreshTokenStore(Jdbc jdbc) {
    this.jdbc = jdbc;
  }

  @Override
  public void insert(RefreshToken t) {
    jdbc.update("insert into refresh_token (tenant_id, token_hash, family_id, client_id, user_id,"
            + " scope, userinfo_claims, id_token_claims, sid, auth_time, amr, acr, issued_at,"
            + " expires_at, family_expires_at, rotated, revoked)"
            + " values (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        t.tenantId(), t.tokenHash(), t.familyId(), t.clientId(), t.userId(),
        Scopes.join(t.scope()), RequestedClaims.join(t.claims().userinfo()),
        RequestedClaims.join(t.claims().idToken()), t.sid(), t.authTime(), t.amr(), t.acr(),
        t.issuedAt(),
        t.expiresAt(), t.familyExpiresAt(), t.rotated(), t.revoked());
  }

  @Override
  public Optional<RefreshToken> find(String tenantId, String tokenHash) {
    // A token is revoked with its family: a successor inserted by a rotation that raced the
    // family's revocation (after it, so the revocation's update did not see it) is revoked too.
    return jdbc.queryOne("select r.*, exists (select 1 from refresh_token f where f.tenant_id ="
            + " r.tenant_id and f.family_id = r.family_id and f.revoked = true) as family_revoked"
            + " from refresh_token r where r.tenant_id = ? and r.token_hash = ?",
        rs -> new RefreshToken(rs.getString("tenant_id"), rs.getString("token_hash"),
            rs.getString("family_id"), rs.getString("client_id"), rs.getString("user_id"),
            Scopes.parse(rs.getString("scope")), new RequestedClaims(
                RequestedClaims.parse(rs.getString("userinfo_claims")),
                RequestedClaims.parse(rs.getString("id_token_claims"))),
            rs.getString("sid"), rs.getLong("auth_time"),
            rs.getString("amr"), rs.getString("acr"), rs.getLong("issued_at"),
            rs.getLong("expires_at"), rs.getLong("family_expires_at"),
            rs.getBoolean("rotated"),
            rs.getBoolean("revoked") || rs.getBoolean("family_revoked")),
        tenantId, tokenHash);
  }

  @Override
  public boolean markRotated(String tenantId, String tokenHash) {
    // Not once revoked: a revocation that committed while this rotation was being checked (its
    // row lock held) is seen here, and the rotation fails instead of outliving it.
    return jdbc.update("update refresh_token r set rotated = true where r.tenant_id = ?"
        + " and r.token_hash = ? and r.rotated = false and r.revoked = false and not exists"
        + " (select 1 from refresh_token f where f.tenant_id = r.tenant_id"
        + " and f.family_id = r.family_id and f.revoked = true)", tenantId, tokenHash) == 1;
  }

  @Override
  public int revokeFamily(String tenantId, String familyId) {
    return jdbc.update("update refresh_token set revoked = true where tenant_id = ?"
        + " and family_id = ?", tenantId, familyId);
  }

  @Override
  public int revokeSession(String tenantId, String sid) {
    return jdbc.update("update refresh_token set revoked = true where tenant_id = ? and sid = ?",
        tenantId, sid);
  }

  @Override
  public boolean recordAccessToken(String tenantId, String tokenHash, String accessTokenRef) {
    return jdbc.update("update refresh_token r set access_token_ref = ? where r.tenant_id = ?"
        + " and r.token_hash = ? and r.revoked = false and not exists"
        + " (select 1 from refresh_token f where f.tenant_id = r.tenant_id"
        + " and f.family_id = r.family_id and f.revoked = true)", accessTokenRef, tenantId,
        tokenHash) == 1;
  }

  @Override
  public List<String> accessTokenRefs(String tenantId, String familyId) {
    return jdbc.query("select access_token_ref from refresh_token where tenant_id = ?"
            + " and family_id = ? and access_token_ref is not null", rs -> rs.getString(1),
        tenantId, familyId);
  }

  @Override
  public List<String> liveFamiliesOfUser(String tenantId, String userId) {
    return jdbc.query("select distinct family_id from refresh_token where tenant_id = ?"
        + " and user_id = ? and revoked = false", rs -> rs.getString(1), tenantId, userId);
  }

  @Override
  public List<String> liveFamiliesOfSession(String tenantId, String sid) {
    return jdbc.query("select distinct family_id from refresh_token where tenant_id = ?"
        + " and sid = ? and revoked = false", rs -> rs.getString(1), tenantId, sid);
  }

  @Override
  public int purgeExpired(long now) {
    return jdbc.update("delete from refresh_token where family_expires_at < ?", now);
  }
}
