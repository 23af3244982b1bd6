package dev.gatehouse.server.tenant;

import java.util.List;
import java.util.Optional;

/** Persistence of tenants. */
public interface TenantStore {

  Optional<Tenant> find(String id);

  /** Inserts {@code tenant}; false when the id is taken. */
  boolean insert(Tenant tenant);

  /** Updates the display name and branding of {@code tenant}; false when it does not exist. */
  boolean update(Tenant tenant);

  /** Tenants ordered by id, after {@code afterId} (null: from the start), at most {@code limit}. */
  List<Tenant> list(String afterId, int limit);

  boolean delete(String id);
}
