package dev.gatehouse.server.tenant;

import dev.gatehouse.server.cache.L2Cache;
import java.util.List;
import java.util.Optional;

/** A {@link TenantStore} read through the Redis {@link L2Cache} ({@code gh:{installation}:{id}:tenant:-}). */
public final class RedisTenantStore implements TenantStore {

  private final TenantStore db;
  private final L2Cache l2;

  public RedisTenantStore(TenantStore db, L2Cache l2) {
    this.db = db;
    this.l2 = l2;
  }

  private String key(String id) {
    return l2.key(id, "tenant", "-");
  }

  @Override
  public Optional<Tenant> find(String id) {
    return l2.get(key(id), Tenant.class, () -> db.find(id));
  }

  @Override
  public boolean insert(Tenant tenant) {
    boolean inserted = db.insert(tenant);
    l2.evict(key(tenant.id()));
    return inserted;
  }

  @Override
  public boolean update(Tenant tenant) {
    boolean updated = db.update(tenant);
    l2.evict(key(tenant.id()));
    return updated;
  }

  @Override
  public List<Tenant> list(String afterId, int limit) {
    return db.list(afterId, limit);
  }

  @Override
  public boolean delete(String id) {
    boolean deleted = db.delete(id);
    l2.evict(key(id));
    return deleted;
  }
}
