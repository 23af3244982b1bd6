package dev.gatehouse.server.policy;

import dev.gatehouse.server.cache.L2Cache;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A {@link PolicyStore} whose policy versions (the stored text: schema, policies, links; compiled
 * forms stay in each node) are read through the Redis {@link L2Cache}: the active one as {@code
 * gh:{installation}:{tenant}:policy:latest}, any other as {@code gh:{installation}:{tenant}:policy:v{n}} (versions never change).
 * Entities and version numbers go to the database.
 */
public final class RedisPolicyStore implements PolicyStore {

  private final PolicyStore db;
  private final L2Cache l2;

  public RedisPolicyStore(PolicyStore db, L2Cache l2) {
    this.db = db;
    this.l2 = l2;
  }

  private String latestKey(String tenantId) {
    return l2.key(tenantId, "policy", "latest");
  }

  @Override
  public Optional<PolicyVersion> latest(String tenantId) {
    Optional<PolicyVersion> cached = l2.get(latestKey(tenantId), PolicyVersion.class,
        () -> db.latest(tenantId));
    // A cached copy older than the database's (an eviction lost) is not trusted.
    if (cached.isPresent() && cached.get().version() != db.latestVersion(tenantId)) {
      l2.evict(latestKey(tenantId));
      return db.latest(tenantId);
    }
    return cached;
  }

  @Override
  public long latestVersion(String tenantId) {
    return db.latestVersion(tenantId);
  }

  @Override
  public Optional<PolicyVersion> find(String tenantId, long version) {
    return l2.get(l2.key(tenantId, "policy", "v" + version), PolicyVersion.class,
        () -> db.find(tenantId, version));
  }

  @Override
  public List<PolicyVersion> history(String tenantId, long beforeVersion, int limit) {
    return db.history(tenantId, beforeVersion, limit);
  }

  @Override
  public boolean insert(PolicyVersion v) {
    boolean inserted = db.insert(v);
    l2.evict(latestKey(v.tenantId()));
    return inserted;
  }

  @Override
  public long entityVersion(String tenantId) {
    return db.entityVersion(tenantId);
  }

  @Override
  public StoredEntities entities(String tenantId) {
    return db.entities(tenantId);
  }

  @Override
  public long changeEntities(String tenantId, Collection<StoredEntity> upserts,
      Collection<String> deletes, long now) {
    return db.changeEntities(tenantId, upserts, deletes, now);
  }

  @Override
  public long bumpEntityVersion(String tenantId) {
    return db.bumpEntityVersion(tenantId);
  }

  @Override
  public List<StoredEntity> listEntities(String tenantId, String afterUid, int limit) {
    return db.listEntities(tenantId, afterUid, limit);
  }

  @Override
  public int countEntities(String tenantId) {
    return db.countEntities(tenantId);
  }
}
