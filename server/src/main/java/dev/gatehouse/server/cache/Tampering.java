package dev.gatehouse.server.cache;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What was read from Redis and refused because its MAC did not hold (or it had expired, or came
 * in an unknown shape): counted in {@code gatehouse_redis_rejected_total{what}} and logged at most
 * once a minute per kind, so that an attacker writing to Redis cannot flood the log and an operator
 * still learns that someone does. A refused value is never an error for the request: a cache entry
 * becomes a miss, a message is dropped.
 */
public final class Tampering {

  static final String METRIC = "gatehouse_redis_rejected";
  private static final Logger LOG = LoggerFactory.getLogger(Tampering.class);
  private static final long LOG_EVERY_MS = 60_000;

  private final MeterRegistry registry;
  private final Map<String, Counter> counters = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> counts = new ConcurrentHashMap<>();
  private final Map<String, AtomicLong> lastLogged = new ConcurrentHashMap<>();

  /** Counts into {@code registry} (null: counts kept here only). */
  public Tampering(MeterRegistry registry) {
    this.registry = registry;
  }

  /** A tracker that only logs and counts in memory (tests, tools). */
  public static Tampering untracked() {
    return new Tampering(null);
  }

  /**
   * Records that a {@code what} value ({@code cache}, {@code flag}, {@code invalidation},
   * {@code attempts}) read at {@code where} was refused.
   */
  public void rejected(String what, String where) {
    counts.computeIfAbsent(what, w -> new AtomicLong()).incrementAndGet();
    if (registry != null) {
      counters.computeIfAbsent(what, w -> Counter.builder(METRIC)
          .description("values read from Redis and refused: MAC, expiry or shape")
          .tag("what", w).register(registry)).increment();
    }
    AtomicLong last = lastLogged.computeIfAbsent(what, w -> new AtomicLong(Long.MIN_VALUE / 2));
    long now = System.currentTimeMillis();
    long before = last.get();
    if (now - before >= LOG_EVERY_MS && last.compareAndSet(before, now)) {
      LOG.warn("refused a value read from Redis ({}) at `{}`: MAC, expiry or shape wrong, so"
          + " something else may be writing to Redis; check its ACL (this warning repeats at most"
          + " once a minute, see gatehouse_redis_rejected_total)", what, where);
    }
  }

  /** How many {@code what} values were refused so far. */
  public long count(String what) {
    AtomicLong n = counts.get(what);
    return n == null ? 0 : n.get();
  }
}
