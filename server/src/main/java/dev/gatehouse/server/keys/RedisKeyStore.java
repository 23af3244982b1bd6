package dev.gatehouse.server.keys;

import dev.gatehouse.server.cache.L2Cache;
import java.util.List;
import java.util.Optional;

/**
 * A {@link KeyStore} read through the Redis {@link L2Cache} ({@code gh:{installation}:{tenant}:keys:-}): the
 * stored rows, public JWKs and private keys sealed under the master key. A decrypted private key
 * never leaves the node's memory.
 */
public final class RedisKeyStore implements KeyStore {

  private final KeyStore db;
  private final L2Cache l2;

  public RedisKeyStore(KeyStore db, L2Cache l2) {
    this.db = db;
    this.l2 = l2;
  }

  private String key(String tenantId) {
    return l2.key(tenantId, "keys", "-");
  }

  @Override
  public List<StoredKey> findByTenant(String tenantId) {
    List<StoredKey> keys = l2.<List<StoredKey>>get(key(tenantId), L2Cache.listOf(StoredKey.class),
        () -> {
          List<StoredKey> rows = db.findByTenant(tenantId);
          return rows.isEmpty() ? Optional.empty() : Optional.of(rows);
        }).orElse(List.of());
    return keys;
  }

  @Override
  public void insert(StoredKey key) {
    db.insert(key);
    l2.evict(key(key.tenantId()));
  }

  @Override
  public boolean rotate(String tenantId, KeyAlgorithm alg, String nextKid, long now,
      long publishUntil, StoredKey newNext) {
    boolean rotated = db.rotate(tenantId, alg, nextKid, now, publishUntil, newNext);
    l2.evict(key(tenantId));
    return rotated;
  }

  @Override
  public int purgeRetired(String tenantId, long now) {
    int n = db.purgeRetired(tenantId, now);
    if (n > 0) {
      l2.evict(key(tenantId));
    }
    return n;
  }
}
