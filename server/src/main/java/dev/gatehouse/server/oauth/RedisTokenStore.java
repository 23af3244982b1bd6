package dev.gatehouse.server.oauth;

import dev.gatehouse.server.cache.L2Cache;
import dev.gatehouse.server.cache.SharedRedis;
import java.time.Clock;
import java.util.Optional;

/**
 * A {@link TokenStore} with the distributed revocation list and the opaque-token cache in Redis.
 *
 * <p>A JWT revoked anywhere is {@code SET gh:{installation}:{tenant}:revoked:{jti} 1 PX <remaining
 * lifetime>}:
 * the entry lives exactly as long as the token would have, and every node's introspection finds
 * the revocation with one Redis read, without the database (L1 in {@link AccessTokenService} →
 * this list → the database, which stays the source of truth when Redis has no entry or is down).
 * Opaque token rows (keyed hash, client, subject, scope, times, revoked flag; never the token) are
 * cached as {@code gh:{installation}:{tenant}:opaque:{hash}} and evicted when revoked.
 */
public final class RedisTokenStore implements TokenStore {

  private final TokenStore db;
  private final SharedRedis redis;
  private final L2Cache l2;
  private final Clock clock;

  public RedisTokenStore(TokenStore db, SharedRedis redis, L2Cache l2, Clock clock) {
    this.db = db;
    this.redis = redis;
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
      redis.run(r -> r.psetex(revokedKey(tenantId, jti), remainingMs, "1"));
    }
  }

  @Override
  public boolean isJwtRevoked(String tenantId, String jti) {
    if ("1".equals(redis.call(r -> r.get(revokedKey(tenantId, jti)), null))) {
      return true;
    }
    return db.isJwtRevoked(tenantId, jti);
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
