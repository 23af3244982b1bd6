package dev.gatehouse.server.web;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import java.time.Clock;
import java.time.Duration;

/**
 * An {@link AttemptCounter} in this node's memory (one node, or Redis down). Expiry follows the
 * given clock; entries are bounded in number and dropped a day after their last write at the
 * latest (no window or lock lasts longer).
 */
public final class InMemoryAttemptCounter implements AttemptCounter {

  /** A count and when it expires (clock millis). */
  private record Entry(long count, long expiresAt) {}

  private final Clock clock;
  private final Cache<String, Entry> entries = Caffeine.newBuilder().maximumSize(1_000_000)
      .expireAfterWrite(Duration.ofHours(25)).build();

  public InMemoryAttemptCounter(Clock clock) {
    this.clock = clock;
  }

  @Override
  public long increment(String key, Duration ttl, boolean slide) {
    long now = clock.millis();
    return entries.asMap().compute(key, (k, old) -> {
      if (old == null || old.expiresAt() <= now) {
        return new Entry(1, now + ttl.toMillis());
      }
      return new Entry(old.count() + 1, slide ? now + ttl.toMillis() : old.expiresAt());
    }).count();
  }

  @Override
  public void decrement(String key) {
    entries.asMap().computeIfPresent(key, (k, old) -> old.count() <= 1 ? null
        : new Entry(old.count() - 1, old.expiresAt()));
  }

  @Override
  public long count(String key) {
    Entry e = entries.getIfPresent(key);
    return e == null || e.expiresAt() <= clock.millis() ? 0 : e.count();
  }

  @Override
  public void reset(String key) {
    entries.invalidate(key);
  }
}
