package dev.gatehouse.server.oauth;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * This node's copy of the revoked, unexpired JWT ids of every tenant, so that introspecting a JWT
 * reads no database: a flood of introspections of distinct tokens otherwise costs one revocation
 * read per token and occupies the connection pool that sign-in needs.
 *
 * <p>Loaded whole at start and kept current two ways: revocations made through this node or heard
 * of on the invalidation bus are added at once ({@link #add}); a poll every {@link #POLL} reads
 * the rows revoked since the last poll began, less {@link #OVERLAP} (a revocation committed a
 * little after it was stamped, or stamped by a node whose clock is a little behind, is read on the
 * next poll instead of missed), and the whole table is read again every {@link #FULL_RELOAD}. So
 * without the bus a revocation anywhere reaches this node within about one poll.
 *
 * <p>The copy answers only while it is {@link #current}: its last successful read began less than
 * {@link #FRESH} ago. Otherwise (the database away or slow, the copy grown past
 * {@link #MAX_ENTRIES}) the caller asks the database per token as before, and fails closed as
 * before once its own staleness bound passes. Entries only leave when their token expires, or
 * with their tenant.
 */
public final class RevokedJwts implements AutoCloseable {

  private static final Logger LOG = LoggerFactory.getLogger(RevokedJwts.class);

  /** How often the revocation table is read for new rows. */
  static final Duration POLL = Duration.ofSeconds(1);
  /** How far back before the last poll each poll reads again. */
  static final Duration OVERLAP = Duration.ofSeconds(10);
  /** How often the whole table is read again, for rows an incremental read could not see. */
  static final Duration FULL_RELOAD = Duration.ofMinutes(5);
  /** How old the last successful read may be for the copy to answer. */
  static final Duration FRESH = Duration.ofSeconds(5);
  /**
   * Beyond this many entries (about 150 MB) the copy stops answering and the database is asked
   * per token: a mass revocation must not exhaust the heap.
   */
  static final int MAX_ENTRIES = 1_000_000;

  /** The source of truth: the revocation rows (tenant, jti, expiry) stamped at or after a time. */
  public interface Source {
    /**
     * Visits the revocations stamped at or after {@code sinceMillis} (wall clock, milliseconds;
     * {@link Long#MIN_VALUE}: all, and rows without a stamp) whose tokens expire at or after
     * {@code nowSeconds}.
     */
    void revokedSince(long sinceMillis, long nowSeconds, Visitor visitor);
  }

  /** Receives one revocation row. */
  @FunctionalInterface
  public interface Visitor {
    void revoked(String tenantId, String jti, long expiresAt);
  }

  private final Source source;
  private final Clock clock;
  /** tenant NUL jti → the token's expiry (epoch seconds). */
  private final ConcurrentHashMap<String, Long> entries = new ConcurrentHashMap<>();
  private volatile long lastReadNanos;
  private volatile boolean loaded;
  private volatile boolean overflowed;
  private long lastReadMillis;
  private long lastFullReadNanos;
  private ScheduledExecutorService poller;

  /**
   * @param clock the clock tokens expire by (the server's); rows are stamped and polled by the
   *     wall clock, which all nodes share
   */
  public RevokedJwts(Source source, Clock clock) {
    this.source = source;
    this.clock = clock;
  }

  /** Reads the table now and then every {@link #POLL}, on a thread of its own. */
  public synchronized RevokedJwts start() {
    if (poller == null) {
      poller = Executors.newSingleThreadScheduledExecutor(r -> {
        Thread t = new Thread(r, "gatehouse-revoked-jwts");
        t.setDaemon(true);
        return t;
      });
      poller.scheduleWithFixedDelay(this::poll, 0, POLL.toMillis(), TimeUnit.MILLISECONDS);
    }
    return this;
  }

  /**
   * Reads what was revoked since the last read (the whole table on the first read and every
   * {@link #FULL_RELOAD}); a failure leaves the copy as it was, aging.
   */
  void poll() {
    long startNanos = System.nanoTime();
    long startMillis = System.currentTimeMillis();
    boolean full = !loaded || startNanos - lastFullReadNanos >= FULL_RELOAD.toNanos();
    long since = full ? Long.MIN_VALUE : lastReadMillis - OVERLAP.toMillis();
    long now = clock.instant().getEpochSecond();
    try {
      source.revokedSince(since, now, (tenantId, jti, expiresAt) ->
          entries.put(key(tenantId, jti), expiresAt));
    } catch (RuntimeException e) {
      LOG.debug("reading revoked JWTs failed: {}", e.toString());
      return;
    }
    entries.values().removeIf(exp -> exp < now);
    boolean over = entries.size() > MAX_ENTRIES;
    if (over && !overflowed) {
      LOG.warn("{} revoked unexpired JWTs: more than {}; introspection asks the database per"
          + " token until they expire", entries.size(), MAX_ENTRIES);
    }
    overflowed = over;
    lastReadMillis = startMillis;
    if (full) {
      lastFullReadNanos = startNanos;
    }
    lastReadNanos = startNanos;
    loaded = true;
  }

  /** Whether the copy may answer: read successfully less than {@link #FRESH} ago. */
  public boolean current() {
    return loaded && !overflowed && System.nanoTime() - lastReadNanos < FRESH.toNanos();
  }

  /** Whether this node knows the token revoked, current or not. */
  public boolean contains(String tenantId, String jti) {
    return entries.containsKey(key(tenantId, jti));
  }

  /** Adds a revocation made here or heard of from another node. */
  public void add(String tenantId, String jti, long expiresAt) {
    entries.put(key(tenantId, jti), expiresAt);
  }

  /** Forgets the revocations of a deleted tenant. */
  public void forgetTenant(String tenantId) {
    String prefix = tenantId + "\u0000";
    entries.keySet().removeIf(k -> k.startsWith(prefix));
  }

  /** How many revocations this node holds. */
  public int size() {
    return entries.size();
  }

  /** Seconds since the last successful read began; -1 before the first. */
  public double ageSeconds() {
    return loaded ? (System.nanoTime() - lastReadNanos) / 1e9 : -1;
  }

  private static String key(String tenantId, String jti) {
    return tenantId + "\u0000" + jti;
  }

  @Override
  public synchronized void close() {
    if (poller != null) {
      poller.shutdownNow();
    }
  }
}
