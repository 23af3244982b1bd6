package dev.gatehouse.server.tenant;

import com.github.benmanes.caffeine.cache.AsyncLoadingCache;
import com.github.benmanes.caffeine.cache.Caffeine;
import dev.gatehouse.server.cache.ChangeListeners;
import dev.gatehouse.server.cache.OffLockLoads;
import dev.gatehouse.server.cache.StaleOnOutage;
import dev.gatehouse.server.keys.KeyService;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * Creates, finds and deletes tenants. A tenant is a row, not a deployment: creating one makes its
 * row and its first signing keys, nothing else.
 */
public final class TenantService {


  private final TenantStore store;
  private final KeyService keys;
  private final Clock clock;
  private final ChangeListeners changes = new ChangeListeners();
  private final AsyncLoadingCache<String, Optional<Tenant>> cache;

  public TenantService(TenantStore store, KeyService keys, Clock clock) {
    this.store = store;
    this.keys = keys;
    this.clock = clock;
    // Negative answers are cached too: unknown-tenant floods must not reach the database. Entries
    // are reloaded after 30 s, and kept while the database is down (StaleOnOutage).
    // Bounded by an estimate of the bytes held (branding may carry a 32 KB logo), not a count.
    this.cache = Caffeine.newBuilder()
        .maximumWeight(CACHE_BYTES)
        .weigher((String id, Optional<Tenant> t) -> estimatedBytes(t))
        .refreshAfterWrite(Duration.ofSeconds(30))
        .recordStats()
        .executor(OffLockLoads.EXECUTOR)
        .buildAsync(StaleOnOutage.loader(store::find));
  }

  /** Heap the cached tenants may take on this node, estimated. */
  static final long CACHE_BYTES = 16L << 20;

  /** Roughly what a cached entry holds on the heap, two bytes a character. */
  static int estimatedBytes(Optional<Tenant> entry) {
    if (entry.isEmpty()) {
      return 150;
    }
    Tenant t = entry.get();
    int chars = t.id().length() + t.displayName().length();
    Branding b = t.branding();
    if (b != null) {
      for (String v : new String[] {b.logoUrl(), b.primaryColor(), b.accentColor(),
          b.supportUrl(), b.privacyUrl()}) {
        chars += v == null ? 0 : v.length();
      }
    }
    return 300 + 2 * chars;
  }

  /** Reports this node's L1 cache as {@code cache.*} meters named {@code tenants}. */
  public void monitor(io.micrometer.core.instrument.MeterRegistry registry) {
    io.micrometer.core.instrument.binder.cache.CaffeineCacheMetrics.monitor(registry,
        cache.synchronous(), "tenants");
  }

  /**
   * Whether {@code id} has DNS-label syntax, {@code [a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?}, so that a
   * tenant id fits in a path, a host name and a Cedar namespace. Checked by hand, not by a regular
   * expression: every tenant request asks.
   */
  /** Calls {@code listener} with the tenant id after a tenant is created or deleted here. */
  public void onChange(java.util.function.Consumer<String> listener) {
    changes.add(listener);
  }

  /** Forgets this node's cached answer for a tenant id. */
  public void invalidate(String id) {
    cache.synchronous().invalidate(id);
  }

  public static boolean validId(String id) {
    if (id == null || id.isEmpty() || id.length() > 63) {
      return false;
    }
    int last = id.length() - 1;
    for (int i = 0; i <= last; i++) {
      char c = id.charAt(i);
      boolean alnum = (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
      if (!alnum && (c != '-' || i == 0 || i == last)) {
        return false;
      }
    }
    return true;
  }

  public Optional<Tenant> find(String id) {
    if (!validId(id)) {
      return Optional.empty();
    }
    return OffLockLoads.get(cache, id);
  }

  /** Creates a tenant with its keys. */
  public Tenant create(String id, String displayName) {
    if (!validId(id)) {
      throw new IllegalArgumentException("tenant name `" + id + "` must be 1 to 63 lowercase"
          + " letters, digits or hyphens, starting and ending with a letter or digit");
    }
    String name = displayName == null || displayName.isBlank() ? id : displayName.strip();
    if (name.length() > 200) {
      throw new IllegalArgumentException("display name is longer than 200 characters");
    }
    Tenant tenant = new Tenant(id, name, clock.instant().getEpochSecond());
    if (!store.insert(tenant)) {
      throw new TenantExistsException(id);
    }
    keys.initialise(id, KeyService.PUBLISHED_FROM_THE_START);
    cache.synchronous().invalidate(id);
    changes.fire(id);
    return tenant;
  }

  /**
   * Changes a tenant's display name (null: keep it) and branding; throws
   * {@link IllegalArgumentException} for a bad display name.
   */
  public Optional<Tenant> update(String id, String displayName, Branding branding) {
    Optional<Tenant> current = store.find(id);
    if (current.isEmpty()) {
      return Optional.empty();
    }
    String name = displayName == null ? current.get().displayName() : displayName.strip();
    if (name.isEmpty() || name.length() > 200) {
      throw new IllegalArgumentException("`display_name` must be 1 to 200 characters");
    }
    Tenant updated = new Tenant(id, name, current.get().createdAt(), branding);
    if (!store.update(updated)) {
      return Optional.empty();
    }
    cache.synchronous().invalidate(id);
    changes.fire(id);
    return Optional.of(updated);
  }

  public List<Tenant> list(String afterId, int limit) {
    return store.list(afterId, limit);
  }

  /** Deletes a tenant and, by cascade, everything it owns. The system tenant stays. */
  public boolean delete(String id) {
    if (Tenant.SYSTEM.equals(id)) {
      throw new IllegalArgumentException("the system tenant cannot be deleted");
    }
    boolean deleted = store.delete(id);
    cache.synchronous().invalidate(id);
    keys.invalidate(id);
    changes.fire(id);
    return deleted;
  }


  /** Thrown when a tenant id is already taken. */
  public static final class TenantExistsException extends RuntimeException {
    public TenantExistsException(String id) {
      super("tenant `" + id + "` already exists");
    }
  }
}
