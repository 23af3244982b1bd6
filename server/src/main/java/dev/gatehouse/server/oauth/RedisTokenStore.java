package dev.gatehouse.server.oauth;

import dev.gatehouse.server.cache.L2Cache;
import java.time.Clock;
import java.util.Optional;

/**
 * A {@link TokenStore} with the distributed revocation list and the opaque-token cache in Redis.
 *
 * <p>A JWT revoked anywhere is a flag {@code gh:{installation}:{tenant}:revoked:{jti}} (sealed by
 * {@link L2Cache#flag}) that expires with the token: every node's introspection finds the
 * revocation with one Redis read, without the database (L1 in {@link AccessTokenService} → this
 * list → the database, which stays the source of truth when Redis has no entry, a forged one, or
 * is down). So the list fails safe: deleting an entry only sends the question to the database, and
 * an entry nobody here wrote revokes nothing. Opaque token rows (keyed hash, client, subject,
 * scope, times, revoked flag; never the token) are cached, sealed, as
 * {@code gh:{installation}:{tenant}:opaque:{hash}} and evicted when revoked.
 */
public final class RedisTokenStore implements TokenStore {

  private final TokenStore db;
  private final L2Cache l2;
  private final Clock clock;

  public RedisTokenStore(TokenStore db, L2Cache l2, Clock clock) {
    this.db = db;
    this.l2 = l2;
    this.clock = clock;
  }

  /** The revocation list entry of a JWT. */
  public String revokedKey(String tenantId, String jti) {
    return l2.key(tenantId, "revoked", jti);
  }

  @Override
  public void insertOpaque(OpaqueToken token) {
    db.insertOpaque(token);
  }

  @Override
  public Optional<OpaqueToken> findOpaque(String tenantId, String tokenHash) {
    return l2.get(l2.key(tenantId, "opaque", tokenHash), OpaqueToken.class,
        () -> db.findOpaque(tenantId, tokenHash));
  }

  @Override
  public boolean revokeOpaque(String tenantId, String tokenHash) {
    boolean revoked = db.revokeOpaque(tenantId, tokenHash);
    l2.evict(l2.key(tenantId, "opaque", tokenHash));
    return revoked;
  }

  @Override
  public java.util.List<String> liveOpaqueOfSubject(String tenantId, String subject, long now) {
    return db.liveOpaqueOfSubject(tenantId, subject, now);
  }

  @Override
  public void revokeJwt(String tenantId, String jti, long expiresAt) {
    db.revokeJwt(tenantId, jti, expiresAt);
    long remainingMs = expiresAt * 1000 - clock.millis();
    if (remainingMs > 0) {
      l2.flag(revokedKey(tenantId, jti), remainingMs);
    }
  }

  @Override
  public boolean isJwtRevoked(String tenantId, String jti) {
    if (l2.flagged(revokedKey(tenantId, jti))) {
      return true;
    }
    return db.isJwtRevoked(tenantId, jti);
  }

  @Override
  public void revokedJwtsSince(long sinceMillis, long nowSeconds, RevokedJwts.Visitor visitor) {
    db.revokedJwtsSince(sinceMillis, nowSeconds, visitor);
  }

  @Override
  public boolean useAssertionJti(String tenantId, String clientId, String jti, long expiresAt) {
    return db.useAssertionJti(tenantId, clientId, jti, expiresAt);
  }

  @Override
  public int purgeExpired(long now) {
    return db.purgeExpired(now);
  }
}
