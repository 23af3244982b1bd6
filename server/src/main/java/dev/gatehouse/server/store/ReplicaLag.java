package dev.gatehouse.server.store;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How far a PostgreSQL read replica is behind its primary, measured at most once per {@link
 * #PROBE_EVERY} by the request that finds the last measure old (no thread of its own), so that
 * lag-tolerant reads go to the primary while the replica lags more than a bound.
 *
 * <p>A replica that has replayed everything it received is not behind, however long ago the last
 * transaction was (an idle primary writes none); one that is not streaming from a primary (its WAL
 * receiver stopped: the primary is gone or the link is cut) is treated as infinitely behind, since
 * it cannot know what it misses. A server that is not in recovery (a promoted former replica) has
 * no lag.
 */
final class ReplicaLag {

  static final Duration PROBE_EVERY = Duration.ofSeconds(1);
  static final long UNKNOWN = Long.MAX_VALUE;
  private static final Logger LOG = LoggerFactory.getLogger(ReplicaLag.class);
  private static final String PROBE = """
      select case
        when not pg_is_in_recovery() then 0
        when not exists (select 1 from pg_stat_wal_receiver where status = 'streaming') then -1
        when pg_last_wal_receive_lsn() = pg_last_wal_replay_lsn() then 0
        else coalesce((extract(epoch from now() - pg_last_xact_replay_timestamp()) * 1000)::bigint,
          -1)
      end""";

  private final Jdbc replica;
  private final long maxLagMs;
  private final AtomicLong probedAt = new AtomicLong(System.nanoTime() - PROBE_EVERY.toNanos());
  private volatile long lagMs = 0;

  ReplicaLag(Jdbc replica, Duration maxLag) {
    this.replica = replica;
    this.maxLagMs = maxLag.toMillis();
  }

  /** True when the replica was, at the last probe, at most the bound behind the primary. */
  boolean fresh() {
    long now = System.nanoTime();
    long last = probedAt.get();
    if (now - last >= PROBE_EVERY.toNanos() && probedAt.compareAndSet(last, now)) {
      lagMs = probe();
    }
    return lagMs <= maxLagMs;
  }

  private long probe() {
    try {
      long ms = replica.queryOne(PROBE, rs -> rs.getLong(1)).orElse(-1L);
      return ms < 0 ? UNKNOWN : ms;
    } catch (StoreException e) {
      if (e.outage()) {
        return UNKNOWN;  // unreachable: the read would fail anyway
      }
      // Not PostgreSQL, or a role that may not read the views: lag cannot be told, reads stay.
      LOG.debug("replica lag unknown: {}", e.toString());
      return 0;
    }
  }

  /** The lag at the last probe in ms ({@link #UNKNOWN} when not streaming or unreachable). */
  long lastMs() {
    return lagMs;
  }
}
