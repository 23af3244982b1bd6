package dev.gatehouse.server.cache;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Duration;

/**
 * When this node last saw a change of each tenant's rows of each kind: its own writes, and those
 * other nodes announce on the (authenticated) invalidation bus. A MAC proves an L2 entry came from
 * this installation, not that it is the latest: someone who copied an entry before a change (a
 * client's old secret hash, an opaque token row from before its revocation) could write it back.
 * An entry sealed before a change this node knows of is therefore refused, as a miss.
 *
 * <p>Changes are remembered for the cache's time to live, as long as any entry sealed before them
 * could be genuine. A node started after a change does not know of it: there a copied entry is
 * accepted until the expiry it was sealed with (see docs/operations.md, "Redis is untrusted").
 */
final class ChangeHorizon {

  /** Stands for every kind: a tenant deleted or recreated. */
  static final String ALL = "*";

  private final Cache<String, Long> changedAt;

  ChangeHorizon(Duration ttl) {
    this.changedAt = Caffeine.newBuilder().maximumSize(100_000).expireAfterWrite(ttl).build();
  }

  /** Records that {@code tenant}'s rows of {@code kind} (or {@link #ALL}) changed at a time. */
  void changed(String tenant, String kind, long atMs) {
    changedAt.asMap().merge(tenant + "\u0000" + kind, atMs, Math::max);
  }

  /** Whether an entry of {@code tenant} and {@code kind} sealed at a time predates a change. */
  boolean predatesChange(String tenant, String kind, long sealedAtMs) {
    Long kindChanged = changedAt.getIfPresent(tenant + "\u0000" + kind);
    Long allChanged = changedAt.getIfPresent(tenant + "\u0000" + ALL);
    return (kindChanged != null && sealedAtMs <= kindChanged)
        || (allChanged != null && sealedAtMs <= allChanged);
  }
}
